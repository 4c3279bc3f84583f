/**
 * One action, carried out: its kind's step, looked up in the registry (kinds/NAME/index.ts declares
 * each kind's steps). Drift and orphan only report and make no call.
 */
import type { ActionContext } from './context.js';
import { ApplyError } from './errors.js';
import type { Step, StepResult } from '../kind.js';
import type { ActionKind } from '../../model/plan.js';
import { KINDS } from '../registry.js';

export type { StepResult } from '../kind.js';

/** Every action kind's step, from the registry's kinds. */
const STEPS = new Map<ActionKind, Step<ActionKind>>(
  KINDS.flatMap((kind) => Object.entries(kind.steps) as [ActionKind, Step<ActionKind>][]),
);

/**
 * Carries out one action.
 * @throws {AwsError} or {@link ApplyError}; the caller turns it into a failed result
 */
export async function runSteps(ctx: ActionContext): Promise<StepResult> {
  const { action } = ctx;
  if (action.kind === 'orphan' || action.kind === 'drift')
    return { instanceId: action.instanceId, detail: 'reported only' };
  const step = STEPS.get(action.kind);
  if (step === undefined)
    throw new ApplyError('invalid-action', `${action.id}: no kind declares a step for ${action.kind}`, {
      resource: action.id,
    });
  return step(ctx, action.details);
}
