/**
 * The Batch jobs the spend estimate counts beyond the Job kind's open ones (cost/job-ledger.ts):
 * jobs RUNNING in the lab's own JobQueues, whoever submitted them (one ListJobs per queue, found
 * whatever the run record says), and the jobs the record's `jobRuns` names that are not a
 * recorded Job's (asked again until Cost Explorer's data covers their run). Batch bills a job's
 * instance to its queue's project (the compute environment tags it), so that is the job's project.
 */
import type { ObserveInputs } from '../../engine/kind.js';
import type { Desired } from '../../model/desired.js';
import type { ObservedJob } from '../../model/job.js';
import type { RunRecord } from '../../model/record.js';

/** Most ledger-only job ids asked about in one run (a forged record cannot make a run ask for more). */
const MAX_LEDGER_IDS = 1000;

/** A job to ask Batch about. */
export interface JobRef {
  region: string;
  jobId: string;
}

function queueKey(region: string, name: string): string {
  return `${region}/${name}`;
}

/** One of the lab's own queues as the spend estimate needs it. */
export interface LabQueue {
  project: string;
  /** Its compute environments' instance types (`optimal` for one that names none), as Batch picks from. */
  instanceTypes: string[];
}

/** The lab's own (not external) JobQueues, by `REGION/NAME`: only their instances carry the project tag. */
export function labQueues(desired: Desired): Map<string, LabQueue> {
  const out = new Map<string, LabQueue>();
  for (const q of desired.jobQueues) {
    if (q.external) continue;
    const types = q.computeEnvironments.flatMap((ce) => (ce.instanceTypes.length > 0 ? ce.instanceTypes : ['optimal']));
    out.set(queueKey(q.region, q.name), { project: q.project, instanceTypes: [...new Set(types)] });
  }
  return out;
}

/** The lab's JobQueue the job ran in (its queue ARN's name), or undefined. */
export function labQueueOf(job: ObservedJob, queues: ReadonlyMap<string, LabQueue>): LabQueue | undefined {
  const name = job.queue?.split(':job-queue/')[1] ?? job.queue;
  return name === undefined ? undefined : queues.get(queueKey(job.region, name));
}

/**
 * Jobs to ask about besides `known` (the recorded Jobs'): those RUNNING in the lab's own queues
 * and those only the record's ledger names. A queue that cannot be listed is skipped: its jobs
 * reach the budget through Cost Explorer, as before.
 */
export async function spendJobRefs(
  desired: Desired,
  ports: ObserveInputs['ports'],
  record: RunRecord,
  known: ReadonlySet<string>,
): Promise<JobRef[]> {
  const out = new Map<string, JobRef>();
  const ledger = Object.entries(record.jobRuns ?? {}).filter(([id]) => !known.has(id));
  for (const [jobId, entry] of ledger.slice(0, MAX_LEDGER_IDS)) out.set(jobId, { region: entry.region, jobId });
  const queues = desired.jobQueues.filter((q) => !q.external);
  const listed = await Promise.all(
    queues.map(async (q) => {
      try {
        return (await ports.batch.runningJobIds(q.region, q.name)).map((jobId) => ({ region: q.region, jobId }));
      } catch {
        return [];
      }
    }),
  );
  for (const ref of listed.flat()) if (!known.has(ref.jobId)) out.set(ref.jobId, ref);
  return [...out.values()];
}
