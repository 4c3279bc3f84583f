/** The Job kind: its whole lifecycle, as the engine calls it. */
import type { Kind } from '../../engine/kind.js';
import { JOB_ACTIONS } from './actions.js';
import { runCancelJob, runSubmitJob } from './apply.js';
import { desiredJobs } from './desired.js';
import { observeJobs } from './observe.js';
import type { ObservedJobs } from './observe.js';
import { planJobs } from './plan.js';
import { recordJobsApplied } from './record.js';
import { jobStatusSection } from './status.js';

/** Jobs: AWS Batch jobs submitted once per spec hash and rerun, cancelled when removed. */
export const job: Kind<(typeof JOB_ACTIONS)[number]['kind'], ReturnType<typeof desiredJobs>, ObservedJobs> = {
  name: 'Job',
  actions: JOB_ACTIONS,
  steps: { 'submit-job': runSubmitJob, 'cancel-job': runCancelJob },
  desired: desiredJobs,
  observe: observeJobs,
  unobserved: () => ({ jobs: [], jobQueues: {} }),
  plan: ({ desired, observed, record, overrides }) => planJobs(desired, observed, record.jobs, overrides),
  recordApplied: ({ plan, applied, now }) => recordJobsApplied(plan, applied, now),
  status: jobStatusSection,
};
