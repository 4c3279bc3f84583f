/**
 * `POST /_sim/batch-status`: makes a compute environment or job queue INVALID (with the
 * `statusReason` Batch would give) or VALID again. On AWS a resource turns INVALID on its own —
 * its service role or subnets deleted, an instance role lacking permissions — which the sim has
 * no IAM or VPC to reproduce; this stands in for that.
 * Body: `{ "region"?: "us-east-1", "computeEnvironment"?: NAME|ARN, "jobQueue"?: NAME|ARN, "status": "INVALID"|"VALID", "statusReason"?: "…" }`.
 */
import { SimError } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import { batchStateOf } from './model.js';
import type { BatchLifecycle } from './model.js';
import { findComputeEnvironment } from './compute.js';
import { findQueue } from './queues.js';

function invalid(message: string): SimError {
  return new SimError('InvalidParameterValue', `batch-status: ${message}`);
}

/** Sets or clears the INVALID status of one compute environment or job queue; answers what it changed. */
export function setBatchStatus(body: unknown, ctx: SimContext): unknown {
  const input = (body ?? {}) as Record<string, unknown>;
  const region = typeof input.region === 'string' ? input.region : ctx.region;
  const batch = batchStateOf(ctx.state);
  const ce = typeof input.computeEnvironment === 'string' ? input.computeEnvironment : undefined;
  const queue = typeof input.jobQueue === 'string' ? input.jobQueue : undefined;
  if ((ce === undefined) === (queue === undefined))
    throw invalid('name exactly one of "computeEnvironment" and "jobQueue"');
  const target: BatchLifecycle | undefined =
    ce !== undefined
      ? findComputeEnvironment(batch, region, ce)
      : queue !== undefined
        ? findQueue(batch, region, queue)
        : undefined;
  if (target === undefined) throw invalid(`${ce ?? queue} does not exist in ${region}`);
  if (input.status === 'INVALID') {
    target.invalidReason =
      typeof input.statusReason === 'string' && input.statusReason !== ''
        ? input.statusReason
        : 'CLIENT_ERROR - made INVALID by /_sim/batch-status';
  } else if (input.status === 'VALID') {
    delete target.invalidReason;
  } else {
    throw invalid('"status" must be INVALID or VALID');
  }
  return {
    region,
    ...(ce !== undefined ? { computeEnvironment: ce } : { jobQueue: queue }),
    status: input.status,
    ...(target.invalidReason ? { statusReason: target.invalidReason } : {}),
  };
}
