/**
 * Simulated AWS Batch (API 2016-08-10, REST-JSON, camelCase members): compute environments and
 * job queues (none until created), job definitions, and jobs that move through their lifecycle
 * as simulated time passes, placed only on ENABLED and VALID compute environments and billing the
 * cheapest fitting instance while they run. See batch-submit.ts for the environment variables
 * (`LABOPS_SIM_DURATION`, `LABOPS_SIM_EXIT_CODE`, `LABOPS_SIM_FAILING_INDEXES`) that steer a job.
 */
import type { SimService } from '../core/contract.js';
import { initialBatchState } from './model.js';
import { advanceBatch } from './advance.js';
import { cancelJob, terminateJob } from './control.js';
import { deregisterJobDefinition, describeJobDefinitions, registerJobDefinition } from './definitions.js';
import { describeJobs, listJobs } from './jobs.js';
import {
  createComputeEnvironment,
  deleteComputeEnvironment,
  describeComputeEnvironments,
  updateComputeEnvironment,
} from './compute.js';
import { createJobQueue, deleteJobQueue, describeJobQueues, updateJobQueue } from './queues.js';
import { setBatchStatus } from './status-control.js';
import { submitJob } from './submit.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';

export type { BatchState, BatchJob, BatchJobStatus } from './model.js';

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
