/** Building the actions of SnapshotSchedules and Jobs: stable ids, rounded costs, destructiveness. */
import type { Action, ActionDeclaration, ActionKind, ActionOf, DetailsOf, ResourceKind } from '../model/plan.js';
import { isDestructive, roundUSD } from './actions.js';

/** The fields a planner gives; id, resource, destructiveness and rounding are filled in. */
export type ActionFields<K extends ActionKind = ActionKind> = Pick<
  Action,
  'region' | 'rule' | 'reason' | 'monthlyDeltaUSD'
> & {
  details: DetailsOf<K>;
  instanceId?: string;
  after?: string[];
  estimatedUSD?: number;
};

/**
 * An action of a resource of `kind`, with id `KIND/NAME/ACTION[/SUFFIX]`; `declared` are the
 * declarations of the planning kind (they say whether the action is destructive).
 */
export function resourceAction<K extends ActionKind>(
  declared: readonly ActionDeclaration[],
  kind: ResourceKind,
  name: string,
  action: K,
  suffix: string | undefined,
  fields: ActionFields<K>,
): ActionOf<K> {
  const out = {
    id: suffix === undefined ? `${kind}/${name}/${action}` : `${kind}/${name}/${action}/${suffix}`,
    kind: action,
    resource: { kind, name },
    region: fields.region,
    rule: fields.rule,
    reason: fields.reason,
    monthlyDeltaUSD: roundUSD(fields.monthlyDeltaUSD),
    destructive: isDestructive(declared, action),
    details: fields.details,
    after: [...(fields.after ?? [])].sort(),
  } as ActionOf<K>;
  if (fields.instanceId !== undefined) out.instanceId = fields.instanceId;
  if (fields.estimatedUSD !== undefined) out.estimatedUSD = roundUSD(fields.estimatedUSD);
  return out;
}

/** An action of a SnapshotSchedule. */
export function scheduleAction<K extends ActionKind>(
  declared: readonly ActionDeclaration[],
  schedule: string,
  action: K,
  suffix: string,
  fields: ActionFields<K>,
): ActionOf<K> {
  return resourceAction(declared, 'SnapshotSchedule', schedule, action, suffix, fields);
}
