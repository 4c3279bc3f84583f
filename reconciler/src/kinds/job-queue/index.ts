/** The JobQueue kind: its whole lifecycle, as the engine calls it. */
import type { Kind } from '../../engine/kind.js';
import { JOB_QUEUE_ACTIONS } from './actions.js';
import {
  runCreateComputeEnvironment,
  runCreateJobQueue,
  runDeleteComputeEnvironment,
  runDeleteJobQueue,
  runUpdateComputeEnvironment,
  runUpdateJobQueue,
} from './apply.js';
import { desiredJobQueues } from './desired.js';
import { noJobQueues, observeJobQueues } from './observe.js';
import type { ObservedJobQueues } from './observe.js';
import { planJobQueues } from './plan.js';
import { jobQueueStatusSection } from './status.js';
import { recordQueueRegions } from './record.js';

/** JobQueues: AWS Batch job queues and the compute environments they own (Spot, on-demand, GPU). */
export const jobQueue: Kind<
  (typeof JOB_QUEUE_ACTIONS)[number]['kind'],
  ReturnType<typeof desiredJobQueues>,
  ObservedJobQueues
> = {
  name: 'JobQueue',
  actions: JOB_QUEUE_ACTIONS,
  steps: {
    'create-compute-environment': runCreateComputeEnvironment,
    'update-compute-environment': runUpdateComputeEnvironment,
    'delete-compute-environment': runDeleteComputeEnvironment,
    'create-job-queue': runCreateJobQueue,
    'update-job-queue': runUpdateJobQueue,
    'delete-job-queue': runDeleteJobQueue,
  },
  desired: desiredJobQueues,
  observe: observeJobQueues,
  unobserved: noJobQueues,
  plan: ({ desired, observed, overrides }) => planJobQueues(desired, observed, overrides),
  recordApplied: ({ plan, applied }) => recordQueueRegions(plan, applied),
  status: jobQueueStatusSection,
};
