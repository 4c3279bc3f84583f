/**
 * The SDK retry policy of mutations AWS offers no idempotency token for (EC2 CreateSnapshot and
 * CopySnapshot, Batch SubmitJob and RegisterJobDefinition): the SDK retries them only when
 * throttled, since a throttled request was not carried out. After a server error or a timeout
 * the request may have taken effect with its reply lost, and sending it again would make a
 * second snapshot, copy or job; so the call fails (retryable) and the next run looks for what it
 * made, by its tags or name, before sending anything again.
 */

/** The parts of the SDK's retry token this policy passes through untouched (`@smithy/types` RetryToken). */
interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/** What the SDK says about a failed attempt (`@smithy/types` RetryErrorInfo). */
interface RetryErrorInfo {
  errorType: 'TRANSIENT' | 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR';
}

/** The SDK's retry strategy interface (`@smithy/types` RetryStrategyV2). */
export interface RetryStrategyV2 {
  acquireInitialRetryToken(scope: string): Promise<RetryToken>;
  refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken>;
  recordSuccess(token: RetryToken): void;
}

/** A client's retry strategy, as its resolved config provides it. */
export type RetryStrategySource = () => Promise<unknown>;

/**
 * A strategy that defers to `base` (the same attempts, delays and retry quota as the service's
 * other calls) but gives up on anything other than throttling.
 */
export function throttlingRetriesOnly(base: RetryStrategySource): RetryStrategyV2 {
  let resolved: RetryStrategyV2 | undefined;
  const strategy = async (): Promise<RetryStrategyV2> => (resolved ??= (await base()) as RetryStrategyV2);
  return {
    async acquireInitialRetryToken(scope: string): Promise<RetryToken> {
      return (await strategy()).acquireInitialRetryToken(scope);
    },
    async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
      // Throwing here ends the call with the error it got (the SDK's retry middleware rethrows it).
      if (info.errorType !== 'THROTTLING') throw new Error('not retried: the request may have taken effect');
      return (await strategy()).refreshRetryTokenForRetry(token, info);
    },
    recordSuccess(token: RetryToken): void {
      resolved?.recordSuccess(token);
    },
  };
}
