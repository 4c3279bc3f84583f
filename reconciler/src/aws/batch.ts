/**
 * The Batch adapter: {@link BatchPort} on SDK v3 `BatchClient`s, one per Region. Reads paginate
 * and chunk (DescribeJobs takes at most 100 ids); each call's failure is wrapped once into AwsError.
 */
import {
  CancelJobCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TerminateJobCommand,
  paginateDescribeJobDefinitions,
  paginateDescribeJobQueues,
  paginateListJobs,
} from '@aws-sdk/client-batch';
import type { BatchClient, JobDefinition, SubmitJobCommandInput } from '@aws-sdk/client-batch';
import type { ObservedJob, ObservedJobQueue } from '../model/job.js';
import { containerProperties, inlineOf, observeJob } from './batch-normalise.js';
import { AwsError, awsCall, toAwsError } from './errors.js';
import type { BatchPort, SubmitJobRequest } from './ports.js';

/** Most ids one DescribeJobs call takes. */
export const DESCRIBE_JOBS_BATCH = 100;

/** Most queues one DescribeJobQueues page holds: "This value can be between 1 and 100." */
export const DESCRIBE_JOB_QUEUES_PAGE = 100;

async function describeQueues(client: BatchClient, region: string): Promise<ObservedJobQueue[]> {
  const out: ObservedJobQueue[] = [];
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
        });
      }
    }
  } catch (err: unknown) {
    throw toAwsError(err, 'DescribeJobQueues', region);
  }
  return out;
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
  if (request.retryAttempts !== undefined) input.retryStrategy = { attempts: request.retryAttempts };
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
  };
}
