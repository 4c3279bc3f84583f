/**
 * The Batch adapter: {@link BatchPort} on SDK v3 `BatchClient`s, one per Region. Reads paginate
 * and chunk (DescribeJobs takes at most 100 ids); each call's failure is wrapped once into AwsError.
 */
import {
  CancelJobCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DeleteComputeEnvironmentCommand,
  DeleteJobQueueCommand,
  UpdateComputeEnvironmentCommand,
  UpdateJobQueueCommand,
  paginateDescribeComputeEnvironments,
  DescribeJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TagResourceCommand,
  TerminateJobCommand,
  paginateDescribeJobDefinitions,
  paginateDescribeJobQueues,
  paginateListJobs,
} from '@aws-sdk/client-batch';
import type {
  BatchClient,
  CreateComputeEnvironmentCommandInput,
  JobDefinition,
  SubmitJobCommandInput,
} from '@aws-sdk/client-batch';
import type { ComputeEnvironmentRequest, ObservedBatchQueue, ObservedComputeEnvironment } from '../model/job-queue.js';
import { ACTIVE_JOB_STATES } from '../model/job-queue.js';
import type { ObservedJob, ObservedJobQueue } from '../model/job.js';
import { containerProperties, inlineOf, observeJob } from './batch-normalise.js';
import { AwsError, awsCall, toAwsError } from './errors.js';
import type { BatchPort, SubmitJobRequest } from './ports.js';

/** Most ids one DescribeJobs call takes. */
export const DESCRIBE_JOBS_BATCH = 100;

/** Most queues one DescribeJobQueues page holds: "This value can be between 1 and 100." */
export const DESCRIBE_JOB_QUEUES_PAGE = 100;

/** The job queues of a Region as the Job planner reads them: name, state and status of each. */
async function describeQueues(client: BatchClient, region: string): Promise<ObservedJobQueue[]> {
  return (await describeBatchQueues(client, region)).map((q) => ({
    name: q.name,
    arn: q.arn,
    region: q.region,
    state: q.state,
    status: q.status,
    ...(q.statusReason === undefined ? {} : { statusReason: q.statusReason }),
  }));
}

async function describeEnvironments(client: BatchClient, region: string): Promise<ObservedComputeEnvironment[]> {
  const out: ObservedComputeEnvironment[] = [];
  try {
    for await (const page of paginateDescribeComputeEnvironments({ client, pageSize: DESCRIBE_JOB_QUEUES_PAGE }, {})) {
      for (const ce of page.computeEnvironments ?? []) {
        out.push({
          name: ce.computeEnvironmentName ?? '',
          arn: ce.computeEnvironmentArn ?? '',
          region,
          state: ce.state ?? '',
          status: ce.status ?? '',
          ...(ce.statusReason === undefined ? {} : { statusReason: ce.statusReason }),
          ...(ce.computeResources?.maxvCpus === undefined ? {} : { maxVcpus: ce.computeResources.maxvCpus }),
          ...(ce.computeResources?.minvCpus === undefined ? {} : { minVcpus: ce.computeResources.minvCpus }),
          tags: { ...(ce.tags ?? {}) },
        });
      }
    }
  } catch (err: unknown) {
    throw toAwsError(err, 'DescribeComputeEnvironments', region);
  }
  return out;
}

async function describeBatchQueues(client: BatchClient, region: string): Promise<ObservedBatchQueue[]> {
  const out: ObservedBatchQueue[] = [];
  try {
    for await (const page of paginateDescribeJobQueues({ client, pageSize: DESCRIBE_JOB_QUEUES_PAGE }, {})) {
      for (const q of page.jobQueues ?? []) {
        out.push({
          name: q.jobQueueName ?? '',
          arn: q.jobQueueArn ?? '',
          region,
          state: q.state ?? '',
          status: q.status ?? '',
          ...(q.statusReason === undefined ? {} : { statusReason: q.statusReason }),
          priority: q.priority ?? 0,
          order: [...(q.computeEnvironmentOrder ?? [])]
            .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
            .map((o) => o.computeEnvironment ?? ''),
          tags: { ...(q.tags ?? {}) },
        });
      }
    }
  } catch (err: unknown) {
    throw toAwsError(err, 'DescribeJobQueues', region);
  }
  return out;
}

/**
 * CreateComputeEnvironment's input: MANAGED, ENABLED, SPOT or EC2; the tags go on the environment
 * and (`computeResources.tags`) on every instance it launches, so Cost Explorer attributes them
 * to `labops:project`; a GPU environment asks for Batch's NVIDIA image.
 */
export function computeEnvironmentInput(request: ComputeEnvironmentRequest): CreateComputeEnvironmentCommandInput {
  return {
    computeEnvironmentName: request.name,
    type: 'MANAGED',
    state: 'ENABLED',
    computeResources: {
      type: request.type,
      maxvCpus: request.maxVcpus,
      minvCpus: request.minVcpus,
      instanceTypes: [...request.instanceTypes],
      allocationStrategy: request.allocationStrategy as 'BEST_FIT_PROGRESSIVE',
      subnets: [...request.subnets],
      ...(request.securityGroupIds.length > 0 ? { securityGroupIds: [...request.securityGroupIds] } : {}),
      instanceRole: request.instanceRole,
      ...(request.bidPercentage === undefined ? {} : { bidPercentage: request.bidPercentage }),
      ...(request.imageType === undefined ? {} : { ec2Configuration: [{ imageType: request.imageType }] }),
      tags: { ...request.tags },
    },
    tags: { ...request.tags },
  };
}

async function describe(client: BatchClient, region: string, jobIds: string[]): Promise<ObservedJob[]> {
  const out: ObservedJob[] = [];
  for (let i = 0; i < jobIds.length; i += DESCRIBE_JOBS_BATCH) {
    const chunk = jobIds.slice(i, i + DESCRIBE_JOBS_BATCH);
    const page = await awsCall('DescribeJobs', chunk[0], () => client.send(new DescribeJobsCommand({ jobs: chunk })));
    for (const detail of page.jobs ?? []) out.push(observeJob(detail, region));
  }
  return out;
}

/**
 * SubmitJob's input: tags propagated to the tasks so Cost Explorer sees the project; a plain
 * dependency is `{ jobId }` with no type, an N_TO_N one `{ jobId, type: 'N_TO_N' }`.
 */
export function submitJobInput(request: SubmitJobRequest): SubmitJobCommandInput {
  const input: SubmitJobCommandInput = {
    jobName: request.jobName,
    jobQueue: request.queue,
    jobDefinition: request.definition,
    tags: { ...request.tags },
    propagateTags: true,
  };
  if (Object.keys(request.parameters).length > 0) input.parameters = { ...request.parameters };
  if (request.arraySize !== undefined) input.arrayProperties = { size: request.arraySize };
  if (request.dependsOn.length > 0)
    input.dependsOn = request.dependsOn.map((d) =>
      d.type === undefined ? { jobId: d.jobId } : { jobId: d.jobId, type: d.type },
    );
  if (request.retryAttempts !== undefined)
    input.retryStrategy = {
      attempts: request.retryAttempts,
      ...(request.evaluateOnExit === undefined
        ? {}
        : { evaluateOnExit: request.evaluateOnExit.map((r) => ({ ...r })) }),
    };
  if (request.timeoutSeconds !== undefined) input.timeout = { attemptDurationSeconds: request.timeoutSeconds };
  return input;
}

/**
 * Builds the Batch port over a per-Region client source (see `createAwsPorts`); `onceFor` sends
 * SubmitJob and RegisterJobDefinition (no idempotency token): retried only when throttled.
 * @default clientFor
 */
export function createBatchAdapter(
  clientFor: (region: string) => BatchClient,
  onceFor: (region: string) => BatchClient = clientFor,
): BatchPort {
  return {
    describeJobQueues: (region) => describeQueues(clientFor(region), region),
    describeJobs: (region, jobIds) => describe(clientFor(region), region, jobIds),

    async findJobs(region, queue, jobName) {
      const ids: string[] = [];
      try {
        const input = { jobQueue: queue, filters: [{ name: 'JOB_NAME', values: [jobName] }], maxResults: 100 };
        for await (const page of paginateListJobs({ client: clientFor(region) }, input)) {
          for (const summary of page.jobSummaryList ?? [])
            if (summary.jobId !== undefined && summary.jobName === jobName) ids.push(summary.jobId);
        }
      } catch (err: unknown) {
        throw toAwsError(err, 'ListJobs', jobName);
      }
      return ids.length === 0 ? [] : describe(clientFor(region), region, ids);
    },

    async findDefinitions(region, name) {
      const found: JobDefinition[] = [];
      try {
        for await (const page of paginateDescribeJobDefinitions(
          { client: clientFor(region) },
          { jobDefinitionName: name, status: 'ACTIVE' },
        ))
          found.push(...(page.jobDefinitions ?? []));
      } catch (err: unknown) {
        throw toAwsError(err, 'DescribeJobDefinitions', name);
      }
      return found.map((d) => ({
        name: d.jobDefinitionName ?? name,
        revision: d.revision ?? 0,
        status: d.status ?? '',
        container: inlineOf(d),
        tags: { ...(d.tags ?? {}) },
      }));
    },

    async registerDefinition(region, name, container, tags) {
      const out = await awsCall('RegisterJobDefinition', name, () =>
        onceFor(region).send(
          new RegisterJobDefinitionCommand({
            jobDefinitionName: name,
            type: 'container',
            containerProperties: containerProperties(container),
            tags: { ...tags },
            propagateTags: true,
          }),
        ),
      );
      return `${out.jobDefinitionName ?? name}:${out.revision ?? 0}`;
    },

    async submitJob(request) {
      const out = await awsCall('SubmitJob', request.jobName, () =>
        onceFor(request.region).send(new SubmitJobCommand(submitJobInput(request))),
      );
      if (out.jobId === undefined)
        throw new AwsError({
          code: 'ServerException',
          message: `SubmitJob ${request.jobName}: no job id returned`,
          retryable: false,
          operation: 'SubmitJob',
          resource: request.jobName,
        });
      return { jobId: out.jobId, jobName: out.jobName ?? request.jobName };
    },

    async cancelJob(region, jobId, reason) {
      await awsCall('CancelJob', jobId, () => clientFor(region).send(new CancelJobCommand({ jobId, reason })));
    },

    async terminateJob(region, jobId, reason) {
      await awsCall('TerminateJob', jobId, () => clientFor(region).send(new TerminateJobCommand({ jobId, reason })));
    },

    async queueInstanceTypes(region, queue) {
      const client = clientFor(region);
      const queues = await awsCall('DescribeJobQueues', queue, () =>
        client.send(new DescribeJobQueuesCommand({ jobQueues: [queue] })),
      );
      const arns = (queues.jobQueues?.[0]?.computeEnvironmentOrder ?? []).flatMap((o) => o.computeEnvironment ?? []);
      if (arns.length === 0) return [];
      const environments = await awsCall('DescribeComputeEnvironments', queue, () =>
        client.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: arns })),
      );
      const types = (environments.computeEnvironments ?? []).flatMap((ce) => {
        const resources = ce.computeResources;
        if (resources?.type !== 'EC2' && resources?.type !== 'SPOT') return [];
        return resources.instanceTypes !== undefined && resources.instanceTypes.length > 0
          ? resources.instanceTypes
          : ['optimal'];
      });
      return [...new Set(types)];
    },

    describeComputeEnvironments: (region) => describeEnvironments(clientFor(region), region),
    describeBatchQueues: (region) => describeBatchQueues(clientFor(region), region),

    async createComputeEnvironment(region, request) {
      try {
        const out = await onceFor(region).send(new CreateComputeEnvironmentCommand(computeEnvironmentInput(request)));
        return out.computeEnvironmentArn ?? '';
      } catch (err: unknown) {
        // No ClientToken: a create that already happened (a retry, a crashed run) is found by name.
        const found = (await describeEnvironments(clientFor(region), region)).find((ce) => ce.name === request.name);
        if (found !== undefined && found.status !== 'DELETING') return found.arn;
        throw toAwsError(err, 'CreateComputeEnvironment', request.name);
      }
    },

    async updateComputeEnvironment(region, name, change) {
      const resources =
        change.maxVcpus === undefined && change.minVcpus === undefined
          ? undefined
          : {
              ...(change.maxVcpus === undefined ? {} : { maxvCpus: change.maxVcpus }),
              ...(change.minVcpus === undefined ? {} : { minvCpus: change.minVcpus }),
            };
      await awsCall('UpdateComputeEnvironment', name, () =>
        clientFor(region).send(
          new UpdateComputeEnvironmentCommand({
            computeEnvironment: name,
            ...(change.state === undefined ? {} : { state: change.state }),
            ...(resources === undefined ? {} : { computeResources: resources }),
          }),
        ),
      );
    },

    async deleteComputeEnvironment(region, name) {
      await awsCall('DeleteComputeEnvironment', name, () =>
        clientFor(region).send(new DeleteComputeEnvironmentCommand({ computeEnvironment: name })),
      );
    },

    async createJobQueue(region, request) {
      try {
        const out = await onceFor(region).send(
          new CreateJobQueueCommand({
            jobQueueName: request.name,
            priority: request.priority,
            state: request.state,
            computeEnvironmentOrder: request.order.map((ce, i) => ({ order: i + 1, computeEnvironment: ce })),
            tags: { ...request.tags },
          }),
        );
        return out.jobQueueArn ?? '';
      } catch (err: unknown) {
        const found = (await describeBatchQueues(clientFor(region), region)).find((q) => q.name === request.name);
        if (found !== undefined && found.status !== 'DELETING') return found.arn;
        throw toAwsError(err, 'CreateJobQueue', request.name);
      }
    },

    async updateJobQueue(region, name, change) {
      await awsCall('UpdateJobQueue', name, () =>
        clientFor(region).send(
          new UpdateJobQueueCommand({
            jobQueue: name,
            ...(change.priority === undefined ? {} : { priority: change.priority }),
            ...(change.state === undefined ? {} : { state: change.state }),
            ...(change.order === undefined
              ? {}
              : { computeEnvironmentOrder: change.order.map((ce, i) => ({ order: i + 1, computeEnvironment: ce })) }),
          }),
        ),
      );
    },

    async deleteJobQueue(region, name) {
      await awsCall('DeleteJobQueue', name, () =>
        clientFor(region).send(new DeleteJobQueueCommand({ jobQueue: name })),
      );
    },

    async tagResource(region, arn, tags) {
      await awsCall('TagResource', arn, () =>
        clientFor(region).send(new TagResourceCommand({ resourceArn: arn, tags })),
      );
    },

    async countActiveJobs(region, queue) {
      let count = 0;
      try {
        for (const jobStatus of ACTIVE_JOB_STATES) {
          for await (const page of paginateListJobs(
            { client: clientFor(region) },
            { jobQueue: queue, jobStatus, maxResults: 100 },
          ))
            count += page.jobSummaryList?.length ?? 0;
        }
      } catch (err: unknown) {
        throw toAwsError(err, 'ListJobs', queue);
      }
      return count;
    },

    async runningJobIds(region, queue) {
      const ids: string[] = [];
      try {
        for await (const page of paginateListJobs(
          { client: clientFor(region) },
          { jobQueue: queue, jobStatus: 'RUNNING', maxResults: 1000 },
        ))
          for (const summary of page.jobSummaryList ?? []) if (summary.jobId !== undefined) ids.push(summary.jobId);
      } catch (err: unknown) {
        throw toAwsError(err, 'ListJobs', queue);
      }
      return ids;
    },
  };
}
