/**
 * What must hold after a chaos run, as plain functions of the simulator's account and its
 * per-request log: one instance per workstation ever (terminated ones included), its volumes
 * and no others, one Batch submission per Job, one snapshot per volume and slot and one copy per
 * original; and for retries: no SDK call over its configured attempts, retries only after a
 * retryable answer, and no mutation sent again by labops in one run after it succeeded.
 */
import type { RequestLogEntry } from '../../reconciler/src/sim/index.js';
import type { SimAccount } from './chaos-harness.js';
import { JOBS, REPO, WORKSTATIONS } from './chaos-lab.js';

/** Instance ids ever seen per workstation: each must have exactly one. */
export function instancesPerWorkstation(seen: Map<string, Set<string>>): Record<string, number> {
  return Object.fromEntries(
    [...seen.entries()].map(([name, ids]) => [name, ids.size]).sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
}

/** The expected figure of {@link instancesPerWorkstation}. */
export function oneInstanceEach(): Record<string, number> {
  return Object.fromEntries(
    WORKSTATIONS.map((w) => [w.name, 1]).sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
}

/** `name region state` of each workstation's instance, `hibernated` for a stop by hibernation. */
export function powerStates(account: SimAccount): string[] {
  return account.instances
    .filter((i) => i.tags['labops:repo'] === REPO)
    .map((i) => {
      const state =
        i.state === 'stopped' && i.stateReason?.Code === 'Client.UserInitiatedHibernate' ? 'hibernated' : i.state;
      return `${i.tags['labops:name']} ${i.region} ${state}`;
    })
    .sort();
}

/** The expected figure of {@link powerStates} at `when`. */
export function expectedPowerStates(when: 'day' | 'evening'): string[] {
  return WORKSTATIONS.map((w) => `${w.name} ${w.region} ${w[when]}`).sort();
}

/**
 * Every volume of the account as `workstation device name attached-to-its-instance`: each
 * workstation's root and data volumes, nothing lost (deleted or detached) and nothing extra.
 */
export function volumeLayout(account: SimAccount): string[] {
  const instanceOf = new Map(account.instances.map((i) => [i.id, i.tags['labops:name']]));
  return account.volumes
    .map((v) => {
      const owner = v.tags['labops:name'] ?? '(untagged)';
      const attached =
        v.attachment === undefined
          ? 'detached'
          : instanceOf.get(v.attachment.instanceId) === owner
            ? 'attached'
            : 'attached elsewhere';
      const name = v.attachment?.device === '/dev/sda1' ? 'root' : (v.tags['labops:volume'] ?? '(unnamed)');
      return `${owner} ${name} ${v.state} ${attached}`;
    })
    .sort();
}

/** The expected figure of {@link volumeLayout}. */
export function expectedVolumeLayout(): string[] {
  return WORKSTATIONS.flatMap((w) => ['root', ...w.volumes].map((name) => `${w.name} ${name} in-use attached`)).sort();
}

/** Batch parent jobs per Job name (array children not counted). */
export function jobsPerName(account: SimAccount): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const job of Object.values(account.batch.jobs)) {
    if (job.arrayParentId !== undefined) continue;
    const name = job.spec?.tags['labops:name'] ?? '(untagged)';
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** The expected figure of {@link jobsPerName}. */
export function oneJobEach(): Record<string, number> {
  return Object.fromEntries(JOBS.map((j) => [j.name, 1]));
}

/** Schedule snapshots (originals by workstation/volume/slot, copies by original) that exist more than once. */
export function duplicateSnapshots(account: SimAccount): string[] {
  const counts = new Map<string, number>();
  for (const s of account.snapshots) {
    if (s.tags['labops:schedule'] === undefined) continue;
    const copyOf = s.tags['labops:copy-of'];
    const key =
      copyOf === undefined
        ? `${s.region} ${s.tags['labops:workstation']} ${s.tags['labops:volume']} ${s.tags['labops:slot']}`
        : `${s.region} copy of ${copyOf}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
}

/** Count of schedule snapshots: originals, and copies. */
export function scheduleSnapshotCounts(account: SimAccount): { originals: number; copies: number } {
  const ours = account.snapshots.filter((s) => s.tags['labops:schedule'] === 'nightly');
  return {
    originals: ours.filter((s) => s.tags['labops:copy-of'] === undefined).length,
    copies: ours.filter((s) => s.tags['labops:copy-of'] !== undefined).length,
  };
}

const RETRYABLE =
  /^(RequestLimitExceeded|Throttling|ThrottlingException|TooManyRequestsException|LimitExceededException)$/;
const THROTTLED = /^(RequestLimitExceeded|TooManyRequestsException)$/;

/** Mutations AWS gives no idempotency token: a second attempt after a 5xx could do it twice. */
const NO_TOKEN: ReadonlySet<string> = new Set([
  'EC2.CreateSnapshot',
  'EC2.CopySnapshot',
  'Batch.SubmitJob',
  'Batch.RegisterJobDefinition',
]);

/** What the SDK did with each call of a run: attempts per invocation and any breach of the configured maximum. */
export interface AttemptReport {
  /** Most attempts seen for one SDK call. */
  maxObserved: number;
  /** SDK calls made (invocations). */
  calls: number;
  /** Attempts beyond the first (retries by the SDK). */
  retries: number;
  /** Every breach, in words (empty when the SDK kept to its configuration). */
  breaches: string[];
}

/** Groups the log by SDK invocation and checks attempts against `maxAttempts`. */
export function attemptReport(requests: readonly RequestLogEntry[], maxAttempts: number): AttemptReport {
  const byCall = new Map<string, RequestLogEntry[]>();
  const breaches: string[] = [];
  for (const r of requests) {
    if (r.invocationId === undefined || r.attempt === undefined) {
      breaches.push(`${r.operation} #${r.seq}: no amz-sdk-request header`);
      continue;
    }
    if (r.maxAttempts !== maxAttempts)
      breaches.push(`${r.operation} #${r.seq}: header max=${r.maxAttempts}, configured ${maxAttempts}`);
    byCall.set(r.invocationId, [...(byCall.get(r.invocationId) ?? []), r]);
  }
  let maxObserved = 0;
  let retries = 0;
  for (const attempts of byCall.values()) {
    maxObserved = Math.max(maxObserved, attempts.length);
    retries += attempts.length - 1;
    const op = attempts[0]!.operation;
    if (attempts.length > maxAttempts)
      breaches.push(`${op}: ${attempts.length} attempts in one SDK call, configured ${maxAttempts}`);
    if (attempts.some((a, i) => a.attempt !== i + 1))
      breaches.push(`${op}: attempts ${attempts.map((a) => a.attempt).join(',')} out of order`);
    for (const a of attempts.slice(0, -1)) {
      // The SDK may retry only throttling and server errors; anything else must end the call.
      if (!(a.status >= 500 || RETRYABLE.test(a.code ?? '')))
        breaches.push(`${op}: retried after ${a.status} ${a.code ?? 'ok'}`);
      // Mutations without an idempotency token are retried only when throttled (aws/retry-policy.ts).
      if (NO_TOKEN.has(op) && !THROTTLED.test(a.code ?? ''))
        breaches.push(`${op}: sent again after ${a.status} ${a.code ?? 'ok'}: it may have taken effect`);
    }
  }
  return { maxObserved, calls: byCall.size, retries, breaches };
}

/** Mutations labops may send again within one run, and why (apply/power.ts: hibernation readiness). */
function mayRepeat(r: RequestLogEntry): boolean {
  return r.operation === 'EC2.StopInstances' && r.input?.Hibernate === true;
}

function isRead(operation: string): boolean {
  return /\.(Describe|List|Get)/.test(operation);
}

/** What labops itself did with mutations in one run: SDK calls per identical request. */
export interface RepeatReport {
  /** Most SDK calls labops made with one identical mutation request in one run. */
  maxCallsPerMutation: number;
  /** Repeats outside the documented policy, in words. */
  breaches: string[];
}

/**
 * Groups one run's mutations by identical request (operation and input: a ClientToken, an
 * instance id, a job name, tags…) and their SDK calls. labops' own policy: one SDK call per
 * mutation per run (the SDK does the retrying), except StopInstances with Hibernate, repeated
 * with backoff while EC2 says the instance is not ready; and never again after a success.
 */
export function repeatReport(requests: readonly RequestLogEntry[]): RepeatReport {
  const calls = new Map<string, Map<string, RequestLogEntry[]>>();
  for (const r of requests) {
    if (isRead(r.operation) || r.invocationId === undefined || r.operation.startsWith('STS.')) continue;
    const key = `${r.operation} ${r.region} ${JSON.stringify(r.input ?? {})}`;
    const byCall = calls.get(key) ?? new Map<string, RequestLogEntry[]>();
    byCall.set(r.invocationId, [...(byCall.get(r.invocationId) ?? []), r]);
    calls.set(key, byCall);
  }
  let maxCallsPerMutation = 0;
  const breaches: string[] = [];
  for (const [key, byCall] of calls) {
    const sdkCalls = [...byCall.values()];
    maxCallsPerMutation = Math.max(maxCallsPerMutation, sdkCalls.length);
    if (sdkCalls.length <= 1) continue;
    const first = sdkCalls[0]![0]!;
    const short = key.slice(0, 160);
    if (!mayRepeat(first)) breaches.push(`${short}: ${sdkCalls.length} SDK calls in one run`);
    const succeeded = sdkCalls.findIndex((attempts) => attempts[attempts.length - 1]!.status === 200);
    if (succeeded !== -1 && succeeded < sdkCalls.length - 1) breaches.push(`${short}: sent again after it succeeded`);
  }
  return { maxCallsPerMutation, breaches };
}

/** Successful answers to `operation` in a log. */
export function succeeded(requests: readonly RequestLogEntry[], operation: string): number {
  return requests.filter((r) => r.operation === operation && r.status === 200).length;
}

/** Injected faults in a log. */
export function injected(requests: readonly RequestLogEntry[]): number {
  return requests.filter((r) => r.injected === true).length;
}
