/**
 * What a resource kind gives the engine: the action kinds it plans (in execution order, and which
 * of them can lose data or running work) and the executor step of each. The engine iterates the
 * registry (engine/registry.ts) and names no kind; a kind folder exports one Kind from its index.ts.
 */
import type { ActionDeclaration, ActionKind, DetailsOf, ResourceKind } from '../model/plan.js';
import type { ActionContext } from './apply/context.js';

/** What an action's step reports back. */
export interface StepResult {
  instanceId?: string;
  detail?: string;
  snapshotIds?: string[];
  volumeIds?: string[];
  jobId?: string;
}

/** The executor step of one action kind: carries out an action of that kind with its details. */
export type Step<K extends ActionKind> = (ctx: ActionContext, details: DetailsOf<K>) => Promise<StepResult>;

/** The steps of the action kinds A, one per kind. */
export type Steps<A extends ActionKind> = { [K in A]: Step<K> };

/** One resource kind, as the engine sees it. */
export interface Kind<A extends ActionKind = ActionKind> {
  /** The spec kind its actions are for. */
  name: ResourceKind;
  /** The action kinds it plans, in execution order (after destructive actions first). */
  actions: readonly ActionDeclaration<A>[];
  /** The executor step of each of its action kinds. */
  steps: Steps<A>;
}
