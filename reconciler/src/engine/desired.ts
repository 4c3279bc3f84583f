/**
 * The desired phase: a validated lab becomes Desired in one pass — the Lab's settings (an input
 * every kind reads, not a kind), then each kind's slice from its `desired` hook. Invalid specs
 * become *unknown* names, so the planners leave their resources alone instead of treating them as
 * deleted; a file that did not parse at all is an unknown file.
 */
import type { Desired, DesiredBase, DesiredLab } from '../model/desired.js';
import type { Observed, ObservedBase } from '../model/observed.js';
import { allowedRegions } from '../specs/lab-specs.js';
import type { Lab } from '../specs/types.js';
import type { LabValidation } from '../specs/validate.js';
import { KINDS } from './registry.js';

type AnyKind = (typeof KINDS)[number];
type DesiredSlice<K> = K extends { desired(...args: never[]): infer D } ? D : never;
type ObservedSlice<K> = K extends { unobserved(...args: never[]): infer O } ? O : never;
type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Every kind's slice of Desired, together: with the base it must make a whole Desired (checked where it is built). */
export type KindsDesired = DesiredBase & Intersection<DesiredSlice<AnyKind>>;
/** Every kind's slice of Observed, together: with the base it must make a whole Observed. */
export type KindsObserved = ObservedBase & Intersection<ObservedSlice<AnyKind>>;

/** One object from a base and the kinds' slices (their keys are disjoint): together they make a whole T. */
export function assemble<T extends object>(base: Partial<T>, slices: readonly Partial<T>[]): T {
  return Object.assign({}, base, ...slices) as T;
}

/** The Lab's settings every kind reads, every default settled. */
export function desiredLab(lab: Lab, repo: string): DesiredLab {
  return {
    repo,
    accountId: lab.spec.aws.accountId,
    defaultRegion: lab.spec.aws.defaultRegion,
    regions: allowedRegions(lab),
    prune: lab.spec.policy?.prune ?? false,
    selfHeal: lab.spec.policy?.selfHeal ?? false,
    ...(lab.spec.access?.instanceProfile ? { instanceProfile: lab.spec.access.instanceProfile } : {}),
    calendar: {
      timezone: lab.spec.calendar?.timezone ?? 'UTC',
      breaks: (lab.spec.calendar?.breaks ?? []).map(({ name, from, to }) => ({ name, from, to })),
    },
  };
}

/** Builds Desired from a validation result; `undefined` when the Lab itself is invalid (nothing can be planned). */
export function buildDesired(validation: LabValidation, repo: string): Desired | undefined {
  const spec = validation.specs.lab?.spec;
  if (!spec) return undefined;
  const lab = desiredLab(spec, repo);
  const unknownFiles = validation.invalid.filter((i) => i.kind === undefined).map((i) => i.file);
  const base: DesiredBase = { lab, unknownFiles };
  const desired: Desired = assemble<KindsDesired>(
    base,
    KINDS.map((k) => k.desired(validation, lab)),
  );
  return desired;
}

/** Observed state of an account where nothing exists yet: each kind's empty slice (no AWS call). */
export function unobserved(desired: Desired, now: Date): Observed {
  const base: ObservedBase = { accountId: desired.lab.accountId, observedAt: now.toISOString() };
  const observed: Observed = assemble<KindsObserved>(
    base,
    KINDS.map((k) => k.unobserved(desired, now)),
  );
  return observed;
}
