/**
 * `labops plan --out FILE` and `labops apply FILE`, as in Terraform: the plan a person reviewed is
 * saved with fingerprints of what it was computed from — the desired state the specs give (and the
 * lab folder's git commit) and AWS as observed — and `apply FILE` applies only when nothing changed
 * since. labops re-plans from the specs and AWS as they are now and refuses, in one line, when the
 * specs, AWS or the resulting actions differ from the saved ones (stale). Nothing read from the file
 * is sent to AWS: the actions applied are the ones re-planned, so a tampered file can only be
 * refused. The file is untrusted input: bounded in size, parsed and validated against
 * schemas/saved-plan.schema.json before any of it is used.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { PlannedRun } from '../engine/pipeline.js';
import { LabopsError } from '../errors.js';
import { packageRoot } from '../package-root.js';

/** Largest saved plan read (a plan of 10,000 actions is about 1.5 MiB). */
export const MAX_SAVED_PLAN_BYTES = 16 * 1024 * 1024;

/** A saved plan (schemas/saved-plan.schema.json). */
export interface SavedPlan {
  labopsSavedPlan: 1;
  savedAt: string;
  repo: string;
  target: string | null;
  specs: { sha256: string; commit: string | null };
  observed: { sha256: string };
  actions: { id: string; kind: string; resource: string }[];
  monthlyDeltaUSD: number;
}

/** A saved plan that cannot be read, or no longer matches the specs and AWS. */
export class SavedPlanError extends LabopsError {
  override readonly name = 'SavedPlanError';
  declare readonly code: 'invalid-saved-plan' | 'stale-plan';
}

/** JSON with object keys sorted, Maps and Sets as sorted entries: the same value hashes the same. */
function canonical(value: unknown): unknown {
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [canonical(k), canonical(v)]).sort(byJson);
  if (value instanceof Set) return [...value].map(canonical).sort(byJson);
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

function byJson(a: unknown, b: unknown): number {
  const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function sha256(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}

/** The lab folder's git HEAD, or null when it is not in a git work tree. */
function headCommit(dir: string): string | null {
  try {
    const out = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(out) ? out : null;
  } catch {
    return null;
  }
}

/** What a plan was computed from and what it does, as saved. */
export function savePlanOf(
  planned: Pick<PlannedRun, 'repo' | 'desired' | 'observed' | 'plan'>,
  dir: string,
  target: string | undefined,
): SavedPlan {
  const { observedAt: _observedAt, ...observed } = planned.observed;
  return {
    labopsSavedPlan: 1,
    savedAt: planned.plan.now,
    repo: planned.repo,
    target: target ?? null,
    specs: { sha256: sha256(planned.desired), commit: headCommit(dir) },
    observed: { sha256: sha256(observed) },
    actions: planned.plan.actions.map((a) => ({
      id: a.id,
      kind: a.kind,
      resource: `${a.resource.kind}/${a.resource.name}`,
    })),
    monthlyDeltaUSD: planned.plan.monthlyDeltaUSD,
  };
}

/** Writes the saved plan (0600: it names the lab's resources). */
export function writeSavedPlan(file: string, saved: SavedPlan): void {
  writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
}

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv({ allErrors: false, strict: true });
  formats.default(ajv, ['date-time']);
  const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'saved-plan.schema.json'), 'utf8')) as object;
  validator = ajv.compile(schema);
  return validator;
}

/** Whether `path` names a file (a saved plan) rather than a folder (a lab). */
export function isSavedPlanPath(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads and validates a saved plan.
 * @throws {SavedPlanError} `invalid-saved-plan`, naming the file and the first bad field
 */
export function readSavedPlan(file: string): SavedPlan {
  const size = statSync(file).size;
  if (size > MAX_SAVED_PLAN_BYTES)
    throw new SavedPlanError(
      'invalid-saved-plan',
      `${file}: ${size} bytes is over the ${MAX_SAVED_PLAN_BYTES} a saved plan may be; refused`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new SavedPlanError(
      'invalid-saved-plan',
      `${file}: not a saved plan (not JSON); write one with labops plan --out FILE`,
    );
  }
  const validate = compiled();
  if (!validate(parsed)) {
    const [error] = validate.errors ?? [];
    const where = error?.instancePath || '/';
    throw new SavedPlanError(
      'invalid-saved-plan',
      `${file}: not a valid saved plan: ${where} ${error?.message ?? 'is invalid'}; refused (write a new one with labops plan --out FILE)`,
    );
  }
  return parsed as SavedPlan;
}

/**
 * Refuses, in one line, unless the plan labops made now is the one saved: same lab, same specs,
 * AWS as observed then, the same actions.
 * @throws {SavedPlanError} `stale-plan`
 */
export function checkNotStale(file: string, saved: SavedPlan, now: SavedPlan): void {
  const stale = (why: string): SavedPlanError =>
    new SavedPlanError(
      'stale-plan',
      `${file} is stale: ${why} since it was saved at ${saved.savedAt}; nothing was changed — run labops plan --out ${file} again and review it`,
    );
  if (now.repo !== saved.repo) throw stale(`it is for ${saved.repo}, this lab is ${now.repo},`);
  if (now.specs.sha256 !== saved.specs.sha256) {
    const commits =
      saved.specs.commit && now.specs.commit && saved.specs.commit !== now.specs.commit
        ? ` (${saved.specs.commit.slice(0, 12)} → ${now.specs.commit.slice(0, 12)})`
        : '';
    throw stale(`the specs changed${commits}`);
  }
  if (now.observed.sha256 !== saved.observed.sha256) throw stale('AWS changed');
  const ids = (p: SavedPlan): string => JSON.stringify(p.actions);
  if (ids(now) !== ids(saved))
    throw stale(
      `its actions are not the ones labops plans now (${saved.actions.length} saved, ${now.actions.length} planned; the file was edited, or the clock moved a schedule)`,
    );
}
