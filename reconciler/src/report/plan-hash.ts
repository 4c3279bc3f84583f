/**
 * A structured hash of a plan: what it would do, not when or how it is worded. Two plans hash the
 * same when they have the same actions (id, kind, resource, region, instance, details) and the same
 * refusals; the clock, reasons and cost figures are left out, so the plan a pull request showed
 * can be compared with the plan recomputed on merge.
 */
import { createHash } from 'node:crypto';
import type { Plan } from '../model/plan.js';
import { planToJson } from './plan-json.js';

/** `sha256:<hex>` of the plan's structure. */
export function planHash(plan: Plan): string {
  const json = planToJson(plan) as { actions: Record<string, unknown>[]; refusals: Plan['refusals'] };
  const actions = json.actions.map((a) => ({
    id: a.id,
    kind: a.kind,
    resource: a.resource,
    region: a.region,
    instanceId: a.instanceId ?? null,
    details: a.details,
    after: a.after,
  }));
  const refusals = json.refusals.map((r) => ({ code: r.code, resource: r.resource ?? null }));
  return `sha256:${createHash('sha256').update(canonical({ actions, refusals })).digest('hex')}`;
}

/** JSON with object keys sorted at every level. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  // JSON.stringify answers undefined for undefined and functions, whatever its declared type says.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  return JSON.stringify(value) ?? 'null';
}
