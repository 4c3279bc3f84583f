/** Building actions with stable ids and rounded costs, and ordering them deterministically. */
import type { ActionDeclaration } from '../model/plan.js';
import { type Action, type ActionKind, type ActionOf, type DetailsOf } from '../model/plan.js';
import { compareText } from '../model/problem.js';

/** What a planner module says about one action; `newAction` fills in id, destructiveness and rounding. */
export interface ActionInput<K extends ActionKind = ActionKind> {
  kind: K;
  name: string;
  region: string;
  instanceId?: string;
  rule: string;
  reason: string;
  monthlyDeltaUSD: number;
  details: DetailsOf<K>;
  /** Ids of actions that must finish first. @default [] */
  after?: string[];
  /** Distinguishes two actions of one kind for one workstation (a duplicate's instance id, `instance-type`). */
  suffix?: string;
}

/**
 * Action kinds that only report and change nothing (any kind may plan them), ordered after every
 * kind's own action kinds.
 */
export const REPORT_ACTIONS: readonly ActionDeclaration[] = [
  { kind: 'drift', destructive: false },
  { kind: 'orphan', destructive: false },
];

/** The id an action of this kind gets: `Workstation/NAME/KIND[/SUFFIX]`. */
export function actionId(name: string, kind: ActionKind, suffix?: string): string {
  return suffix === undefined ? `Workstation/${name}/${kind}` : `Workstation/${name}/${kind}/${suffix}`;
}

/** Whether `declared` (a kind's declarations, or {@link REPORT_ACTIONS}) says actions of `kind` are destructive. */
export function isDestructive(declared: readonly ActionDeclaration[], kind: ActionKind): boolean {
  return declared.some((d) => d.kind === kind && d.destructive);
}

/** A complete action from its input; `declared` are the declarations of the planning kind. */
export function newAction<K extends ActionKind>(
  declared: readonly ActionDeclaration[],
  input: ActionInput<K>,
): ActionOf<K> {
  const action = {
    id: actionId(input.name, input.kind, input.suffix),
    kind: input.kind,
    resource: { kind: 'Workstation', name: input.name },
    region: input.region,
    rule: input.rule,
    reason: input.reason,
    monthlyDeltaUSD: roundUSD(input.monthlyDeltaUSD),
    destructive: isDestructive(declared, input.kind),
    details: input.details,
    after: [...(input.after ?? [])].sort(),
  } as ActionOf<K>;
  if (input.instanceId !== undefined) action.instanceId = input.instanceId;
  return action;
}

/** Rounds to cents, never yielding `-0`. */
export function roundUSD(value: number): number {
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? 0 : rounded;
}

/**
 * Destructive first, then by kind (the order of `declared`: the kinds' declarations in registry
 * order, then {@link REPORT_ACTIONS}), then by resource name, then by id.
 */
export function orderActions<A extends Action>(actions: readonly A[], declared: readonly ActionDeclaration[]): A[] {
  const order = declared.map((d) => d.kind);
  return [...actions].sort((a, b) => {
    if (a.destructive !== b.destructive) return a.destructive ? -1 : 1;
    const byKind = order.indexOf(a.kind) - order.indexOf(b.kind);
    if (byKind !== 0) return byKind;
    return compareText(a.resource.name, b.resource.name) || compareText(a.id, b.id);
  });
}
