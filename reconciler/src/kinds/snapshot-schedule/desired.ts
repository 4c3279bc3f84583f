/**
 * SnapshotSchedules as the planner sees them: defaults settled (time zone from the Lab calendar)
 * and selectors resolved to workstation names.
 */
import type { Desired, DesiredLab, LabDefaults } from '../../model/desired.js';
import type { DesiredSchedule } from '../../model/schedule.js';
import { selects } from '../../specs/check-references.js';
import type { SnapshotSchedule, Workstation } from '../../specs/types.js';
import type { LabValidation } from '../../specs/validate.js';

/** One schedule with defaults settled and its selector resolved against the valid workstations. */
export function desiredSchedule(
  spec: SnapshotSchedule,
  workstations: readonly Workstation[],
  lab: LabDefaults,
): DesiredSchedule {
  const s = spec.spec;
  const retain = s.retain ?? {};
  return {
    name: spec.metadata.name,
    cron: s.cron,
    timezone: s.timezone ?? lab.timezone,
    type: s.type ?? 'volumes',
    retain: {
      ...(retain.count === undefined ? {} : { count: retain.count }),
      ...(retain.maxAgeDays === undefined ? {} : { maxAgeDays: retain.maxAgeDays }),
    },
    copyTo: [...(s.copyTo ?? [])].sort(),
    budgetExempt: s.budgetExempt ?? false,
    workstations: workstations
      .filter((w) => selects(s.selector, w))
      .map((w) => w.metadata.name)
      .sort(),
  };
}

/** Every valid schedule of a validated lab. */
export function desiredSchedules(validation: LabValidation, lab: DesiredLab): Pick<Desired, 'schedules'> {
  const workstations = validation.specs.workstations.map((w) => w.spec);
  const defaults = { timezone: lab.calendar.timezone, defaultRegion: lab.defaultRegion };
  return { schedules: validation.specs.schedules.map((s) => desiredSchedule(s.spec, workstations, defaults)) };
}
