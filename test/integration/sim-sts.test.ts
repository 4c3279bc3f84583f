import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';

it.each([
  [undefined, '123456789012'],
  ['210987654321', '210987654321'],
])('GetCallerIdentity answers the configured account (%s)', async (accountId, expected) => {
  const sim = await startTestSim({ log: () => {}, ...(accountId ? { accountId } : {}) });

  const out = await sim.sts().send(new GetCallerIdentityCommand({}));
  await sim.close();

  expect([out.Account, out.Arn]).toEqual([expected, `arn:aws:sts::${expected}:assumed-role/labops-sim/session`]);
  expect(out.UserId).toMatch(/^AROA[A-Z0-9]+:session$/);
});
