/**
 * The identity adapter: which account the credentials belong to (STS GetCallerIdentity), so
 * apply can refuse to act in the wrong account before any mutation. Asked afresh every time:
 * credentials can be swapped under a long-running process, and the call is cheap.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import { AwsError, awsCall } from './errors.js';
import type { IdentityPort } from './ports.js';

/** Builds the identity port on an STS client. */
export function createIdentityAdapter(client: STSClient): IdentityPort {
  return {
    async accountId() {
      const out = await awsCall('GetCallerIdentity', undefined, () => client.send(new GetCallerIdentityCommand({})));
      if (out.Account === undefined || out.Account === '') {
        throw new AwsError({
          code: 'MissingAccount',
          message: 'GetCallerIdentity: no Account in the answer',
          retryable: false,
          operation: 'GetCallerIdentity',
        });
      }
      return out.Account;
    },
  };
}
