/**
 * Simulated AWS Batch (API 2016-08-10, REST-JSON, camelCase members): compute environments and
 * job queues (none until created), job definitions, and jobs that move through their lifecycle
 * as simulated time passes, placed only on ENABLED and VALID compute environments and billing the
 * cheapest fitting instance while they run. See batch-submit.ts for the environment variables
 * (`LABOPS_SIM_DURATION`, `LABOPS_SIM_EXIT_CODE`, `LABOPS_SIM_FAILING_INDEXES`) that steer a job.
 */
import type { SimService } from './contract.js';
import { initialBatchState } from './batch-model.js';
import { advanceBatch } from './batch-advance.js';
import { cancelJob, terminateJob } from './batch-control.js';
import { deregisterJobDefinition, describeJobDefinitions, registerJobDefinition } from './batch-definitions.js';
import { describeJobs, listJobs } from './batch-jobs.js';
import { createComputeEnvironment, deleteComputeEnvironment, describeComputeEnvironments, updateComputeEnvironment } from './batch-compute.js';
import { createJobQueue, deleteJobQueue, describeJobQueues, updateJobQueue } from './batch-queues.js';
import { setBatchStatus } from './batch-status-control.js';
import { submitJob } from './batch-submit.js';
import { listTagsForResource, tagResource, untagResource } from './batch-tags.js';

export type { BatchState, BatchJob, BatchJobStatus } from './batch-model.js';

/** The Batch service the sim core routes `Batch.*` operations to. */
export const batchService: SimService = {
  name: 'Batch',
  operations: {
    SubmitJob: submitJob,
    DescribeJobs: describeJobs,
    ListJobs: listJobs,
    CancelJob: cancelJob,
    TerminateJob: terminateJob,
    RegisterJobDefinition: registerJobDefinition,
    DescribeJobDefinitions: describeJobDefinitions,
    DeregisterJobDefinition: deregisterJobDefinition,
    DescribeJobQueues: describeJobQueues,
    CreateJobQueue: createJobQueue,
    UpdateJobQueue: updateJobQueue,
    DeleteJobQueue: deleteJobQueue,
    DescribeComputeEnvironments: describeComputeEnvironments,
    CreateComputeEnvironment: createComputeEnvironment,
    UpdateComputeEnvironment: updateComputeEnvironment,
    DeleteComputeEnvironment: deleteComputeEnvironment,
    ListTagsForResource: listTagsForResource,
    TagResource: tagResource,
    UntagResource: untagResource,
  },
  initialState: initialBatchState,
  advance: advanceBatch,
  control: { 'batch-status': setBatchStatus },
};
