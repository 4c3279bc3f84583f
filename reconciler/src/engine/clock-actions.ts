/** Building the actions of SnapshotSchedules and Jobs: stable ids, rounded costs, destructiveness. */
import type { Action, ResourceKind } from '../model/plan.js';
import { DESTRUCTIVE_ACTIONS } from '../model/plan.js';
import { roundUSD } from './actions.js';

/** The fields a planner gives; id, resource, destructiveness and rounding are filled in. */
export type ActionFields = Pick<Action, 'region' | 'rule' | 'reason' | 'monthlyDeltaUSD' | 'details'> & {
  instanceId?: string;
  after?: string[];
  estimatedUSD?: number;
};

/** An action of a resource of `kind`, with id `KIND/NAME/ACTION[/SUFFIX]`. */
export function resourceAction(
  kind: ResourceKind,
  name: string,
  action: Action['kind'],
  suffix: string | undefined,
  fields: ActionFields,
): Action {
  const out: Action = {
    id: suffix === undefined ? `${kind}/${name}/${action}` : `${kind}/${name}/${action}/${suffix}`,
    kind: action,
    resource: { kind, name },
    region: fields.region,
    rule: fields.rule,
    reason: fields.reason,
    monthlyDeltaUSD: roundUSD(fields.monthlyDeltaUSD),
    destructive: DESTRUCTIVE_ACTIONS.includes(action),
    details: fields.details,
    after: [...(fields.after ?? [])].sort(),
  };
  if (fields.instanceId !== undefined) out.instanceId = fields.instanceId;
  if (fields.estimatedUSD !== undefined) out.estimatedUSD = roundUSD(fields.estimatedUSD);
  return out;
}

/** An action of a SnapshotSchedule. */
export function scheduleAction(schedule: string, action: Action['kind'], suffix: string, fields: ActionFields): Action {
  return resourceAction('SnapshotSchedule', schedule, action, suffix, fields);
}
