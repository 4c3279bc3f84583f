/** Building actions with stable ids and rounded costs, and ordering them deterministically. */
import { DESTRUCTIVE_ACTIONS, type Action, type ActionKind, type ActionOf, type DetailsOf } from '../model/plan.js';
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

/** The order of kinds in a plan, after destructive actions first. */
export const KIND_ORDER: readonly ActionKind[] = [
  'replace',
  'destroy',
  'resize',
  'create',
  'start',
  'stop',
  'hibernate',
  'retag',
  'snapshot',
  'copy-snapshot',
  'delete-snapshot',
  'submit-job',
  'cancel-job',
  'drift',
  'orphan',
];

/** The id an action of this kind gets: `Workstation/NAME/KIND[/SUFFIX]`. */
export function actionId(name: string, kind: ActionKind, suffix?: string): string {
  return suffix === undefined ? `Workstation/${name}/${kind}` : `Workstation/${name}/${kind}/${suffix}`;
}

/** A complete action from its input. */
export function newAction<K extends ActionKind>(input: ActionInput<K>): ActionOf<K> {
  const action = {
    id: actionId(input.name, input.kind, input.suffix),
    kind: input.kind,
    resource: { kind: 'Workstation', name: input.name },
    region: input.region,
    rule: input.rule,
    reason: input.reason,
    monthlyDeltaUSD: roundUSD(input.monthlyDeltaUSD),
    destructive: DESTRUCTIVE_ACTIONS.includes(input.kind),
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

/** Destructive first, then by kind (`KIND_ORDER`), then by workstation name, then by id. */
export function orderActions(actions: readonly Action[]): Action[] {
  return [...actions].sort((a, b) => {
    if (a.destructive !== b.destructive) return a.destructive ? -1 : 1;
    const byKind = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
    if (byKind !== 0) return byKind;
    return compareText(a.resource.name, b.resource.name) || compareText(a.id, b.id);
  });
}

export { compareText };
