/**
 * The identity adapter: which account the credentials belong to (STS GetCallerIdentity), so
 * apply can refuse to act in the wrong account before any mutation.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import { AwsError, awsCall } from './errors.js';
import type { IdentityPort } from './ports.js';

/** Builds the identity port on an STS client. The answer is read once and remembered. */
export function createIdentityAdapter(client: STSClient): IdentityPort {
  let cached: Promise<string> | undefined;
  async function read(): Promise<string> {
    const out = await awsCall('GetCallerIdentity', undefined, () => client.send(new GetCallerIdentityCommand({})));
    if (out.Account === undefined || out.Account === '') {
      throw new AwsError({ code: 'MissingAccount', message: 'GetCallerIdentity: no Account in the answer', retryable: false, operation: 'GetCallerIdentity' });
    }
    return out.Account;
  }
  return {
    accountId() {
      cached ??= read().catch((err: unknown) => {
        cached = undefined;
        throw err;
      });
      return cached;
    },
  };
}
