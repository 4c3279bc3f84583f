/**
 * What a JobQueue apply teaches the run record: the Regions where labops created a job queue, so
 * later runs read them even after the lab's last JobQueue file is removed (observe.ts).
 */
import type { ApplyResult } from '../../engine/apply/types.js';
import type { Plan } from '../../model/plan.js';
import type { RecordPatch } from '../../model/record.js';

/** Adds the Region of every job queue created (or found created) by this apply. */
export function recordQueueRegions(plan: Plan, applied: ApplyResult): RecordPatch {
  const done = new Set(applied.results.filter((r) => r.status === 'done').map((r) => r.actionId));
  const regions = plan.actions.filter((a) => a.kind === 'create-job-queue' && done.has(a.id)).map((a) => a.region);
  if (regions.length === 0) return (record) => record;
  return (record) => ({
    ...record,
    jobQueueRegions: [...new Set([...(record.jobQueueRegions ?? []), ...regions])].sort(),
  });
}
