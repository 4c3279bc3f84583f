/**
 * The rules of specs.md that a schema cannot say: hibernation prerequisites, work-hours,
 * cron, time zones, real dates, durations, and environments that fit the instance.
 */
import type { ResolvedEnvironment } from '../environments/model.js';
import { checkCron } from '../model/cron.js';
import { parseDurationSeconds } from '../model/duration.js';
import type { FieldPath, Problem } from '../model/problem.js';
import { isTimeZone } from '../model/time-zone.js';
import { parseWorkHours } from '../model/work-hours.js';
import { HIBERNATION_FAMILIES, HIBERNATION_MAX_MEMORY_GIB, instanceTypeInfo } from '../cost/prices/index.js';
import { isRealDate, problemAt } from './lab-specs.js';
import type { LabSpecs, SpecEntry } from './lab-specs.js';
import type { Workstation } from './types.js';

/** Hibernate actions need `hibernation: true`, a family that can, RAM under the limit and a big enough root. */
export function checkHibernation(specs: LabSpecs): Problem[] {
  const problems: Problem[] = [];
  for (const { doc, spec } of specs.workstations) {
    const s = spec.spec;
    const uses: [FieldPath, boolean][] = [
      [['spec', 'state'], s.state === 'hibernated'],
      [['spec', 'schedule', 'offHoursAction'], s.schedule?.offHoursAction === 'hibernate'],
      [['spec', 'idle', 'action'], s.idle?.action === 'hibernate'],
    ];
    if (!s.hibernation) {
      for (const [path, used] of uses) {
        if (used)
          problems.push(
            problemAt(doc, path, 'hibernating needs `hibernation: true` (hibernation is configured at launch)'),
          );
      }
      continue;
    }
    const info = instanceTypeInfo(s.instanceType);
    if (!info) continue;
    if (info.memoryGiB >= HIBERNATION_MAX_MEMORY_GIB) {
      problems.push(
        problemAt(
          doc,
          ['spec', 'hibernation'],
          `${s.instanceType} has ${info.memoryGiB} GiB of RAM; hibernation needs less than ${HIBERNATION_MAX_MEMORY_GIB} GiB`,
        ),
      );
    } else if (!info.hibernationSupported) {
      problems.push(
        problemAt(
          doc,
          ['spec', 'hibernation'],
          `the ${info.family} family does not support hibernation (families that do: ${[...HIBERNATION_FAMILIES].sort().join(', ')}); choose one of those or set hibernation: false`,
        ),
      );
    } else if (s.storage?.rootGiB !== undefined && s.storage.rootGiB < info.memoryGiB) {
      problems.push(
        problemAt(
          doc,
          ['spec', 'storage', 'rootGiB'],
          `with hibernation the root volume must hold the RAM: ${s.storage.rootGiB} GiB is less than ${s.instanceType}'s ${info.memoryGiB} GiB`,
        ),
      );
    }
  }
  return problems;
}

/** Work-hours, schedule and calendar time zones, idle durations and restore dates. */
export function checkWorkstationTimes(specs: LabSpecs): Problem[] {
  const problems: Problem[] = [];
  for (const { doc, spec } of specs.workstations) {
    const s = spec.spec;
    if (s.schedule) {
      const parsed = parseWorkHours(s.schedule.workHours);
      if (!parsed.ok)
        problems.push(problemAt(doc, ['spec', 'schedule', 'workHours'], `invalid workHours: ${parsed.message}`));
      if (s.schedule.timezone && !isTimeZone(s.schedule.timezone))
        problems.push(timeZoneProblem(doc, ['spec', 'schedule', 'timezone'], s.schedule.timezone));
    }
    if (s.idle) {
      const seconds = parseDurationSeconds(s.idle.after);
      if (seconds !== undefined && seconds < 600) {
        problems.push(
          problemAt(
            doc,
            ['spec', 'idle', 'after'],
            'idle detection reads 5-minute CloudWatch data: use at least 10m',
            'warning',
          ),
        );
      }
    }
    const date = s.restoreFrom?.split('/')[1];
    if (date && date !== 'latest' && !isRealDate(date))
      problems.push(problemAt(doc, ['spec', 'restoreFrom'], `${date} is not a real date`));
  }
  return problems;
}

/** Lab calendar, budget periods, snapshot cron and time zones, job timeouts. */
export function checkCalendarsAndPeriods(specs: LabSpecs): Problem[] {
  const problems: Problem[] = [];
  const lab = specs.lab;
  const calendar = lab?.spec.spec.calendar;
  if (lab && calendar?.timezone && !isTimeZone(calendar.timezone))
    problems.push(timeZoneProblem(lab.doc, ['spec', 'calendar', 'timezone'], calendar.timezone));
  const labDoc = lab?.doc;
  for (const [i, brk] of (calendar?.breaks ?? []).entries()) {
    if (labDoc)
      problems.push(...dateRangeProblems(labDoc, ['spec', 'calendar', 'breaks', i], brk.from, brk.to, 'from', 'to'));
  }
  for (const { doc, spec } of specs.budgets) {
    const period = spec.spec.period;
    const fixed = period.start !== undefined || period.end !== undefined;
    if (fixed && period.every !== undefined)
      problems.push(problemAt(doc, ['spec', 'period'], 'period is either { start, end } or { every }, not both'));
    else if (!fixed && period.every === undefined)
      problems.push(
        problemAt(doc, ['spec', 'period'], 'period needs { start, end } or { every: month | quarter | year }'),
      );
    else if (fixed && (period.start === undefined || period.end === undefined))
      problems.push(problemAt(doc, ['spec', 'period'], 'a fixed period needs both start and end'));
    else if (period.start !== undefined && period.end !== undefined)
      problems.push(...dateRangeProblems(doc, ['spec', 'period'], period.start, period.end, 'start', 'end'));
  }
  for (const { doc, spec } of specs.schedules) {
    const cron = checkCron(spec.spec.cron);
    if (!cron.ok) problems.push(problemAt(doc, ['spec', 'cron'], cron.message));
    if (spec.spec.timezone && !isTimeZone(spec.spec.timezone))
      problems.push(timeZoneProblem(doc, ['spec', 'timezone'], spec.spec.timezone));
  }
  for (const { doc, spec } of specs.jobs) {
    const seconds = spec.spec.timeout === undefined ? undefined : parseDurationSeconds(spec.spec.timeout);
    if (seconds !== undefined && seconds < 60)
      problems.push(problemAt(doc, ['spec', 'timeout'], 'AWS Batch timeouts must be at least 60s'));
  }
  return problems;
}

/** Budget hibernate actions on projects whose workstations cannot hibernate: they will be stopped instead. */
export function checkBudgetActions(specs: LabSpecs): Problem[] {
  const problems: Problem[] = [];
  for (const { doc, spec } of specs.budgets) {
    const index = (spec.spec.actions ?? []).findIndex((a) => a.do === 'hibernate');
    if (index < 0) continue;
    const cannot = specs.workstations
      .filter((w) => w.spec.metadata.project === spec.spec.project && !w.spec.spec.hibernation)
      .map((w) => w.spec.metadata.name);
    if (cannot.length) {
      problems.push(
        problemAt(
          doc,
          ['spec', 'actions', index, 'do'],
          `${cannot.join(', ')} cannot hibernate (hibernation: false) and will be stopped instead`,
          'warning',
        ),
      );
    }
  }
  return problems;
}

/** The resolved environment suits the workstation: architecture, root size, GPU, prebuilt image. */
export function checkEnvironmentFit(
  entry: SpecEntry<Workstation>,
  env: ResolvedEnvironment,
  region: string | undefined,
): Problem[] {
  const { doc, spec } = entry;
  const problems: Problem[] = [];
  const info = instanceTypeInfo(spec.spec.instanceType);
  if (info && info.architecture !== env.architecture) {
    problems.push(
      problemAt(
        doc,
        ['spec', 'instanceType'],
        `${spec.spec.instanceType} is ${info.architecture} but environment ${env.name}@${env.version} is built for ${env.architecture}`,
      ),
    );
  }
  const minRoot = env.spec.recommended?.minRootGiB;
  const root = spec.spec.storage?.rootGiB;
  if (minRoot !== undefined && root !== undefined && root < minRoot) {
    problems.push(
      problemAt(
        doc,
        ['spec', 'storage', 'rootGiB'],
        `environment ${env.name}@${env.version} needs a root volume of at least ${minRoot} GiB`,
      ),
    );
  }
  if (info && env.spec.recommended?.gpu && info.gpus === 0) {
    problems.push(
      problemAt(
        doc,
        ['spec', 'instanceType'],
        `environment ${env.name} expects a GPU but ${spec.spec.instanceType} has none`,
        'warning',
      ),
    );
  }
  const prebuilt = region ? env.spec.images?.[region] : undefined;
  if (spec.spec.image?.strategy === 'ami_required' && !spec.spec.image.ami && !prebuilt) {
    problems.push(
      problemAt(
        doc,
        ['spec', 'image', 'strategy'],
        `ami_required, but environment ${env.name}@${env.version} has no prebuilt image for ${region ?? 'the region'}: plans will fail until one exists`,
        'warning',
      ),
    );
  }
  return problems;
}

function timeZoneProblem(doc: SpecEntry<unknown>['doc'], path: FieldPath, name: string): Problem {
  return problemAt(
    doc,
    path,
    `unknown time zone "${name}": use an IANA name such as America/New_York, Europe/Berlin or UTC`,
  );
}

function dateRangeProblems(
  doc: SpecEntry<unknown>['doc'],
  path: FieldPath,
  from: string,
  to: string,
  fromKey: string,
  toKey: string,
): Problem[] {
  const problems: Problem[] = [];
  if (!isRealDate(from)) problems.push(problemAt(doc, [...path, fromKey], `${from} is not a real date`));
  if (!isRealDate(to)) problems.push(problemAt(doc, [...path, toKey], `${to} is not a real date`));
  if (!problems.length && to < from)
    problems.push(problemAt(doc, [...path, toKey], `${toKey} (${to}) is before ${fromKey} (${from})`));
  return problems;
}
