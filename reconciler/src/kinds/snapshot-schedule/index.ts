/** The SnapshotSchedule kind: its whole lifecycle, as the engine calls it. */
import type { Kind } from '../../engine/kind.js';
import { SNAPSHOT_ACTIONS } from './actions.js';
import { runCopySnapshot, runDeleteSnapshot, runSnapshot } from './apply.js';
import { desiredSchedules } from './desired.js';
import { observeSchedules } from './observe.js';
import type { ObservedSchedules } from './observe.js';
import { planSnapshotSchedules } from './plan.js';
import { recordNextSlots, recordSchedulesSeen, recordSlotsTaken } from './record.js';
import { scheduleStatusSection } from './status.js';

/** SnapshotSchedules: EBS snapshots of selected workstations at cron slots, copied across Regions and pruned. */
export const snapshotSchedule: Kind<
  (typeof SNAPSHOT_ACTIONS)[number]['kind'],
  ReturnType<typeof desiredSchedules>,
  ObservedSchedules
> = {
  name: 'SnapshotSchedule',
  actions: SNAPSHOT_ACTIONS,
  steps: { snapshot: runSnapshot, 'copy-snapshot': runCopySnapshot, 'delete-snapshot': runDeleteSnapshot },
  desired: desiredSchedules,
  observe: observeSchedules,
  unobserved: () => ({ snapshots: [] }),
  plan: ({ desired, observed, record, now, overrides }) =>
    planSnapshotSchedules(desired, observed, record.schedules, now, overrides),
  recordApplied: ({ desired, plan, applied, now }) => {
    const taken = recordSlotsTaken(plan, applied, now);
    const seen = recordSchedulesSeen(
      desired.schedules.map((s) => s.name),
      now,
    );
    const next = recordNextSlots(desired.schedules, now);
    return (record) => next(seen(taken(record)));
  },
  status: scheduleStatusSection,
};
