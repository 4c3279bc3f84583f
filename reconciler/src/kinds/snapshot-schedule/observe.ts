/**
 * What a run reads for SnapshotSchedules: one tag-filtered DescribeSnapshots per Region, only when
 * a schedule or a workstation's `restoreFrom` needs them.
 */
import type { Observation, ObserveInputs } from '../../engine/kind.js';
import type { Observed } from '../../model/observed.js';

/** The SnapshotSchedule slice of Observed. */
export type ObservedSchedules = Pick<Observed, 'snapshots'>;

/** The snapshots schedules made (sources and copies), or none when nothing needs them. */
export async function observeSchedules({ desired, ports }: ObserveInputs): Promise<Observation<ObservedSchedules>> {
  const needed = desired.schedules.length > 0 || desired.workstations.some((w) => w.restoreFrom !== undefined);
  return {
    observed: { snapshots: needed ? await ports.ec2.observeSnapshots(desired.lab.regions, desired.lab.repo) : [] },
  };
}
