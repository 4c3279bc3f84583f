/**
 * Validation Batch applies to the members a job definition and a submitted job share:
 * resource requirements, retry strategy, timeout.
 */
import { wireText } from '../core/contract.js';
import { clientError } from './model.js';
import type { BatchExitRule, BatchResourceRequirement } from './model.js';
import { optionalInteger, optionalList } from './input.js';

const RESOURCE_TYPES = ['VCPU', 'MEMORY', 'GPU'];

/**
 * Checks `resourceRequirements` (VCPU, MEMORY in MiB, GPU) of container properties or overrides.
 * @throws ClientException on an unknown type or a value that is not a positive number
 */
export function checkResourceRequirements(container: Record<string, unknown>): BatchResourceRequirement[] {
  const out: BatchResourceRequirement[] = [];
  for (const item of optionalList(container, 'resourceRequirements') ?? []) {
    const req = item as Record<string, unknown> | null;
    const type = wireText(req?.type);
    const value = wireText(req?.value);
    if (!RESOURCE_TYPES.includes(type)) throw clientError(`Unknown resource requirement type ${type}.`);
    if (!(Number(value) > 0)) throw clientError(`Resource requirement ${type} must be a positive number.`);
    out.push({ type, value });
  }
  return out;
}

/** Legacy `vcpus` / `memory` members turned into resource requirements. */
export function legacyRequirements(container: Record<string, unknown>): BatchResourceRequirement[] {
  const out: BatchResourceRequirement[] = [];
  if (typeof container.vcpus === 'number') out.push({ type: 'VCPU', value: String(container.vcpus) });
  if (typeof container.memory === 'number') out.push({ type: 'MEMORY', value: String(container.memory) });
  return out;
}

/** What a job needs from an instance. */
export interface BatchNeeds {
  vcpus: number;
  memoryGiB: number;
  gpus: number;
}

/** The instance needs of merged resource requirements. @default 1 vCPU, 2 GiB, 0 GPUs */
export function needsOf(requirements: BatchResourceRequirement[]): BatchNeeds {
  const value = (type: string): number | undefined => {
    const found = requirements.find((r) => r.type === type);
    return found ? Number(found.value) : undefined;
  };
  return {
    vcpus: value('VCPU') ?? 1,
    memoryGiB: (value('MEMORY') ?? 2048) / 1024,
    gpus: value('GPU') ?? 0,
  };
}

/** A checked retry strategy. */
export interface BatchRetry {
  attempts: number;
  evaluateOnExit: BatchExitRule[];
}

/**
 * Checks `retryStrategy`: attempts 1..10, at most 5 `evaluateOnExit` rules with RETRY or EXIT.
 * @throws ClientException when out of bounds
 */
export function checkRetryStrategy(strategy: Record<string, unknown>): BatchRetry {
  const attempts = optionalInteger(strategy, 'attempts', 1, 10);
  const rules = (optionalList(strategy, 'evaluateOnExit') ?? []) as (Record<string, unknown> | null)[];
  if (rules.length > 5) throw clientError('retryStrategy.evaluateOnExit can have at most 5 entries.');
  if (rules.length > 0 && attempts === undefined) {
    throw clientError('retryStrategy.attempts is required when evaluateOnExit is set.');
  }
  const evaluateOnExit = rules.map((rule) => {
    const action = wireText(rule?.action);
    if (!['RETRY', 'EXIT'].includes(action.toUpperCase())) {
      throw clientError('retryStrategy.evaluateOnExit[].action must be RETRY or EXIT.');
    }
    const out: BatchExitRule = { action };
    for (const key of ['onStatusReason', 'onReason', 'onExitCode'] as const) {
      const text = rule?.[key];
      if (typeof text === 'string') out[key] = text;
    }
    return out;
  });
  return { attempts: attempts ?? 1, evaluateOnExit };
}

/** Checks `timeout.attemptDurationSeconds` >= 60. @throws ClientException when below */
export function checkTimeout(
  timeout: Record<string, unknown> | undefined,
): { attemptDurationSeconds: number } | undefined {
  if (!timeout) return undefined;
  const seconds = optionalInteger(timeout, 'attemptDurationSeconds', 60, Number.MAX_SAFE_INTEGER);
  if (seconds === undefined) {
    throw clientError('timeout.attemptDurationSeconds must be an integer of at least 60.');
  }
  return { attemptDurationSeconds: seconds };
}

function globMatch(pattern: string | undefined, value: string): boolean {
  if (pattern === undefined) return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}

/**
 * Whether a failed attempt is retried: the first rule whose conditions all match decides;
 * when no rule matches the job is retried, as Batch documents.
 */
export function shouldRetry(
  rules: BatchExitRule[],
  attempt: { exitCode?: number; reason?: string; statusReason?: string },
): boolean {
  for (const rule of rules) {
    const matches =
      globMatch(rule.onExitCode, String(attempt.exitCode ?? '')) &&
      globMatch(rule.onReason, attempt.reason ?? '') &&
      globMatch(rule.onStatusReason, attempt.statusReason ?? '');
    if (matches) return rule.action.toUpperCase() === 'RETRY';
  }
  return true;
}
