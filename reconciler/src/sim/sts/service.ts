/**
 * Simulated STS (Query protocol): GetCallerIdentity, so labops can check it is about to act in
 * the account it expects. The caller is always the `labops-sim` role session of the configured
 * account.
 */
import type { SimContext, SimService } from '../core/contract.js';

/** Role of the identity every caller of the simulator has. */
export const SIM_ROLE = 'labops-sim';
/** Session name of that role session. */
export const SIM_SESSION = 'session';

/** A stable, role-id-shaped user id derived from the account id. */
function roleId(accountId: string): string {
  const digits = accountId.replace(/\D/g, '').padStart(12, '0');
  const letters = Array.from(digits, (d) => String.fromCharCode(65 + ((Number(d) * 7) % 26))).join('');
  return `AROA${letters}${digits.slice(0, 5)}`;
}

/** GetCallerIdentity: `{ UserId, Account, Arn }` of the simulated role session. */
export function getCallerIdentity(_input: Record<string, unknown>, ctx: SimContext): unknown {
  const account = ctx.config.accountId;
  return {
    UserId: `${roleId(account)}:${SIM_SESSION}`,
    Account: account,
    Arn: `arn:aws:sts::${account}:assumed-role/${SIM_ROLE}/${SIM_SESSION}`,
  };
}

/** The STS service the sim core routes `STS.*` operations to. */
export const stsService: SimService = {
  name: 'STS',
  operations: { GetCallerIdentity: getCallerIdentity },
};
