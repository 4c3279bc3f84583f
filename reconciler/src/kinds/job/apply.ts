/**
 * The Job actions. `submit-job` registers the inline definition (or reuses an identical ACTIVE
 * revision), then looks for a job of the same deterministic name and spec hash in the queue (a
 * run that crashed after SubmitJob, before its record was saved) and submits only when there is
 * none; dependencies submitted in the same apply are found by name (waiting while Batch does not
 * list them yet). `cancel-job` reads the job again, refuses unless Batch's own tags say it is this
 * repository's Job (the job id came from the untrusted run record), and calls CancelJob before it
 * runs, TerminateJob once it is STARTING or RUNNING.
 */
import { sameContainer } from '../../aws/batch-normalise.js';
import type { BatchPort } from '../../aws/ports.js';
import type {
  CancelJobDetails,
  DefinitionRequest,
  ObservedJob,
  SubmitDependency,
  SubmitJobDetails,
} from '../../model/job.js';
import { CANCELLABLE_JOB_STATES, FINAL_JOB_STATES, jobTaggedFor } from '../../model/job.js';
import { TAG } from '../../model/tags.js';
import { batchOf } from '../../engine/apply/context.js';
import type { ActionContext } from '../../engine/apply/context.js';
import { ApplyError } from '../../engine/apply/errors.js';
import type { StepResult } from '../../engine/apply/steps.js';

/** `name:revision` to submit against: the registered one, an identical ACTIVE revision, or a new one. */
async function definitionRef(
  batch: BatchPort,
  region: string,
  definition: DefinitionRequest,
): Promise<{ ref: string; registered: boolean }> {
  if ('registered' in definition) return { ref: definition.registered, registered: false };
  const { name, container, tags } = definition.register;
  const same = (await batch.findDefinitions(region, name))
    .filter((d) => sameContainer(d.container, container))
    .sort((a, b) => b.revision - a.revision)[0];
  if (same !== undefined) return { ref: `${same.name}:${same.revision}`, registered: false };
  return { ref: await batch.registerDefinition(region, name, container, tags), registered: true };
}

/** The job this action already submitted, if a previous run got that far. */
function submittedBefore(found: readonly ObservedJob[], details: SubmitJobDetails): ObservedJob | undefined {
  const ours = found.filter(
    (j) => j.tags[TAG.repo] === details.tags[TAG.repo] && j.tags[TAG.specHash] === details.specHash,
  );
  return ours.sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0))[0];
}

/**
 * The id of a dependency: from the record, or found by name. A dependency without an id was
 * submitted earlier in this apply (this action runs after it), so not listed yet is Batch's
 * eventual consistency, not absence: wait for it like any other resource that must appear.
 * @throws {ApplyError} `wait-timeout` when it never shows
 */
async function dependencyId(ctx: ActionContext, batch: BatchPort, dep: SubmitDependency): Promise<string> {
  if (dep.jobId !== undefined) return dep.jobId;
  const found = await ctx.wait(
    `dependency ${dep.job} (${dep.jobName}) listed`,
    async () =>
      (await batch.findJobs(ctx.region, dep.queue, dep.jobName)).sort(
        (a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0),
      )[0],
  );
  return found.jobId;
}

/** Runs a `submit-job` action. */
export async function runSubmitJob(ctx: ActionContext, details: SubmitJobDetails): Promise<StepResult> {
  const batch = batchOf(ctx);
  const earlier = submittedBefore(await batch.findJobs(ctx.region, details.queue, details.jobName), details);
  if (earlier !== undefined) {
    return {
      jobId: earlier.jobId,
      detail: `found ${details.jobName} (${earlier.jobId}, ${earlier.status}) submitted by an earlier run: not submitted again`,
    };
  }
  const definition = await definitionRef(batch, ctx.region, details.definition);
  const dependsOn = [];
  for (const dep of details.dependsOn)
    dependsOn.push({
      jobId: await dependencyId(ctx, batch, dep),
      ...(dep.type === undefined ? {} : { type: dep.type }),
    });
  const submitted = await batch.submitJob({
    region: ctx.region,
    queue: details.queue,
    jobName: details.jobName,
    definition: definition.ref,
    parameters: details.parameters,
    dependsOn,
    tags: details.tags,
    ...(details.arraySize === undefined ? {} : { arraySize: details.arraySize }),
    ...(details.retryAttempts === undefined ? {} : { retryAttempts: details.retryAttempts }),
    ...(details.evaluateOnExit === undefined ? {} : { evaluateOnExit: details.evaluateOnExit }),
    ...(details.timeoutSeconds === undefined ? {} : { timeoutSeconds: details.timeoutSeconds }),
  });
  const how = definition.registered ? `registered ${definition.ref}` : `definition ${definition.ref}`;
  return { jobId: submitted.jobId, detail: `submitted ${details.jobName} as ${submitted.jobId} (${how})` };
}

/** Runs a `cancel-job` action. */
export async function runCancelJob(ctx: ActionContext, details: CancelJobDetails): Promise<StepResult> {
  const batch = batchOf(ctx);
  const [job] = await batch.describeJobs(ctx.region, [details.jobId]);
  if (job === undefined) return { jobId: details.jobId, detail: 'Batch no longer knows the job: nothing to stop' };
  if (!jobTaggedFor(job, details.repo, details.job)) {
    const tagged = `labops:repo=${job.tags['labops:repo'] ?? '(none)'}, labops:name=${job.tags['labops:name'] ?? '(none)'}`;
    throw new ApplyError(
      'unexpected-state',
      `${details.jobId} not cancelled or terminated: Batch tags it ${tagged}, not Job ${details.job} of ${details.repo}`,
      { resource: details.jobId },
    );
  }
  if (FINAL_JOB_STATES.includes(job.status)) return { jobId: details.jobId, detail: `already ${job.status}` };
  if (CANCELLABLE_JOB_STATES.includes(job.status)) {
    await batch.cancelJob(ctx.region, details.jobId, details.reason);
    return { jobId: details.jobId, detail: `cancelled (was ${job.status})` };
  }
  await batch.terminateJob(ctx.region, details.jobId, details.reason);
  return { jobId: details.jobId, detail: `terminated (was ${job.status})` };
}
