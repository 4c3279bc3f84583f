/**
 * The plan as stable JSON (its shape: schemas/output/plan.schema.json): summary counts, refusals and actions.
 * Launch user data is replaced by its size and hash, so the document stays small and diffable.
 */
import { createHash } from 'node:crypto';
import type { Plan } from '../model/plan.js';
import { countActions, hasChanges } from './plan-summary.js';

/** Version of the JSON shape; bumped on any incompatible change. */
export const PLAN_JSON_VERSION = 1;

/** The plan as a plain JSON value. */
export function planToJson(plan: Plan): Record<string, unknown> {
  return {
    version: PLAN_JSON_VERSION,
    now: plan.now,
    hasChanges: hasChanges(plan),
    monthlyDeltaUSD: plan.monthlyDeltaUSD,
    ...(plan.partial ? { partial: plan.partial } : {}),
    counts: countActions(plan),
    refusals: plan.refusals,
    actions: plan.actions.map((a) => ({
      ...a,
      details: JSON.parse(JSON.stringify(a.details, hideUserData)) as unknown,
    })),
  };
}

function hideUserData(key: string, value: unknown): unknown {
  if (key !== 'userData' || typeof value !== 'string') return value;
  return { bytes: Buffer.byteLength(value), sha256: createHash('sha256').update(value).digest('hex') };
}

/** `planToJson` as pretty-printed text. */
export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(planToJson(plan), null, 2)}\n`;
}
