/** The SnapshotSchedule kind: its action declarations and executor steps. */
import type { Kind } from '../../engine/kind.js';
import { SNAPSHOT_ACTIONS } from './actions.js';
import { runCopySnapshot, runDeleteSnapshot, runSnapshot } from './apply.js';

/** SnapshotSchedules: EBS snapshots of selected workstations at cron slots, copied across Regions and pruned. */
export const snapshotSchedule: Kind<(typeof SNAPSHOT_ACTIONS)[number]['kind']> = {
  name: 'SnapshotSchedule',
  actions: SNAPSHOT_ACTIONS,
  steps: { snapshot: runSnapshot, 'copy-snapshot': runCopySnapshot, 'delete-snapshot': runDeleteSnapshot },
};
