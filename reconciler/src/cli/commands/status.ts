/**
 * `labops status [DIR] [NAME]`: what each workstation is doing now. Read-only: it observes AWS
 * through the same ports and the same bulk pass as `plan` (run in plan mode, never applied),
 * then turns (desired, observed, now) into rows with `buildStatus`, the seam where the run
 * record can later stand in for AWS.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AwsError } from '../../aws/errors.js';
import { readinessByRegion } from '../../aws/ec2-readiness.js';
import type { Desired } from '../../model/desired.js';
import type { Observed, Readiness } from '../../model/observed.js';
import { TAG } from '../../model/tags.js';
import { emptyRecord } from '../../model/record.js';
import type { RunRecord } from '../../model/record.js';
import { recordFlag } from '../../runtime/record-option.js';
import { createRuntime } from '../../runtime/runtime.js';
import type { Runtime } from '../../runtime/runtime.js';
import { recordPlace } from '../record-place.js';
import { inCommand } from '../command-error.js';
import { renderProblemsText } from '../../report/problems.js';
import {
  kindSections,
  kindSectionsJson,
  renderKindSectionsMarkdown,
  renderKindSectionsText,
} from '../../engine/status.js';
import { workstationDetail } from '../../kinds/workstation/status-detail.js';
import { renderStatusDetailMarkdown, renderStatusReportMarkdown } from '../../report/status-markdown.js';
import { buildStatus } from '../../kinds/workstation/status-rows.js';
import { renderStatusDetailText, renderStatusText } from '../../report/status-text.js';
import { styleFor } from '../../report/style.js';
import { run } from '../../engine/pipeline.js';
import type { InvalidRun, PlannedRun, RunResult } from '../../engine/pipeline.js';
import { formatOption, nowOption, parseCommand } from '../args.js';
import { STATUS_FLAGS } from '../definitions.js';
import { UsageError } from '../../errors.js';
import type { Io } from '../io.js';
import { resolveRepoName } from '../repo-name.js';
import { observedFromRecord } from '../../kinds/workstation/record.js';
import { buildDesired } from '../../engine/desired.js';
import { validateLab } from '../../specs/validate.js';

/** The SDK's code when no credential provider had anything: nothing is configured. */
const NO_CREDENTIALS = 'CredentialsProviderError';

/** Desired and observed state from AWS: the plan-mode pipeline, whose observation is one bulk pass. */
async function observeFromAws(
  dir: string,
  now: Date,
  repoFlag: string | undefined,
  runtime: Runtime,
  io: Io,
): Promise<RunResult> {
  try {
    return await run(
      {
        dir,
        mode: 'plan',
        now,
        repo: (labName, declared) => resolveRepoName({ flag: repoFlag, env: io.env, dir, labName, declared }),
      },
      // Read-only: no Cost Explorer call and no record written.
      runtime.runDeps({ without: ['record', 'costs'] }),
    );
  } catch (err) {
    if (err instanceof AwsError && err.code !== NO_CREDENTIALS) throw inCommand('status', err, '', 'AWS ');
    throw err;
  }
}

/** AWS when credentials are configured; otherwise (the SDK found none) the run record, said so on stderr. */
async function observeFromAwsOrRecord(
  dir: string,
  now: Date,
  repoFlag: string | undefined,
  runtime: Runtime,
  io: Io,
): Promise<StatusSource> {
  try {
    return await observeFromAws(dir, now, repoFlag, runtime, io);
  } catch (err) {
    if (!(err instanceof AwsError && err.code === NO_CREDENTIALS)) throw err;
    io.stderr(
      'labops status: no AWS credentials found; showing the run record instead (what the last apply or reconcile left)\n',
    );
    return observeFromRecord(dir, repoFlag, runtime, io);
  }
}

/** What status shows: desired and observed state, or why there are none (an invalid Lab). */
type StatusSource =
  InvalidRun | (Pick<PlannedRun, 'validation' | 'desired' | 'observed'> & { outcome: 'planned' | 'applied' });

/** Desired state from the lab, observed state from the run record: no AWS credentials needed. */
async function observeFromRecord(
  dir: string,
  repoFlag: string | undefined,
  runtime: Runtime,
  io: Io,
): Promise<StatusSource> {
  const validation = validateLab(dir, { catalog: runtime.catalog });
  const labName = validation.specs.lab?.spec.metadata.name;
  if (labName === undefined) return { outcome: 'invalid', validation };
  const desired = buildDesired(
    validation,
    await resolveRepoName({ flag: repoFlag, env: io.env, dir, labName, declared: validation.specs.lab?.spec.spec.id }),
  );
  if (!desired) return { outcome: 'invalid', validation };
  const record = runtime.record ? await runtime.record.load() : emptyRecord();
  return { outcome: 'planned', validation, desired, observed: observedFromRecord(record, desired.lab.accountId) };
}

/** DIR and NAME from the positionals (one argument is DIR only when it is a lab folder). */
function placeArguments(positionals: string[], cwd: string): { dir: string; name: string | undefined } {
  if (positionals.length > 2)
    throw new UsageError(`labops status: expected at most DIR and NAME, got ${positionals.length} arguments`);
  const [only, name] = positionals;
  if (only !== undefined && name !== undefined) return { dir: resolve(cwd, only), name };
  if (only === undefined) return { dir: cwd, name: undefined };
  const candidate = resolve(cwd, only);
  const isLab =
    existsSync(candidate) && statSync(candidate).isDirectory() && existsSync(join(candidate, 'labops.yaml'));
  return isLab ? { dir: candidate, name: undefined } : { dir: cwd, name: only };
}

/** Runs `labops status`; returns the exit status (0, or 1 for an unknown NAME or an unreadable lab). */
export async function runStatusCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand('status', argv, STATUS_FLAGS);
  const format = formatOption('status', values.format, ['text', 'json', 'markdown']);
  const now = nowOption('status', values.now);
  const { dir, name } = placeArguments(positionals, io.cwd);
  const style = styleFor({ isTTY: io.isTTY }, Boolean(values['no-color']), io.env);
  const recordOption = recordFlag(values.record, values['record-branch']);
  const runtime = await createRuntime({ env: io.env, record: recordPlace(recordOption, dir, io) });
  try {
    const result = values['from-record']
      ? await observeFromRecord(dir, values.repo, runtime, io)
      : await observeFromAwsOrRecord(dir, now, values.repo, runtime, io);
    if (result.outcome === 'invalid') {
      io.stderr(renderProblemsText(result.validation.problems, result.validation.sourceLine, style));
      io.stderr('labops status: labops.yaml is missing or invalid; nothing to show\n');
      return 1;
    }
    const record = runtime.record ? await runtime.record.load() : emptyRecord();
    // Readiness comes from AWS only (status checks, console output), not from the run record.
    const readiness = 'outcome' in result ? await readinessOf(result.desired, result.observed, runtime, io) : {};
    return report({
      readiness,
      desired: result.desired,
      observed: result.observed,
      record,
      now,
      name,
      format,
      io,
      style,
      problems: result.validation.problems.filter((p) => p.severity === 'error').length,
    });
  } finally {
    runtime.close();
  }
}

/**
 * Readiness of the declared workstations' running instances, by instance id, one Region at a
 * time. A failure (a role without ec2:DescribeInstanceStatus or ec2:GetConsoleOutput) leaves
 * readiness unknown, said once on stderr, and the rest of status stands.
 */
async function readinessOf(
  desired: Desired,
  observed: Observed,
  runtime: Runtime,
  io: Io,
): Promise<Record<string, Readiness>> {
  const declared = new Set(desired.workstations.map((w) => w.name));
  const running = observed.instances.filter(
    (i) => i.state === 'running' && i.tags[TAG.repo] === desired.lab.repo && declared.has(i.tags[TAG.name] ?? ''),
  );
  return readinessByRegion(
    running,
    (region, ids) => runtime.ports(region).ec2.readiness(region, ids),
    (region, err) => io.stderr(`labops status: readiness unknown in ${region}: ${err.message}\n`),
  );
}

interface ReportOptions {
  /** Readiness by instance id (empty when read from the run record). */
  readiness: Record<string, Readiness>;
  desired: Desired;
  observed: Observed;
  /** The run record (read only): snapshot schedules' last slots, job submissions. */
  record: RunRecord;
  now: Date;
  name: string | undefined;
  format: string;
  io: Io;
  style: ReturnType<typeof styleFor>;
  problems: number;
}

function report(o: ReportOptions): number {
  const built = buildStatus(o.desired, o.observed, o.now);
  const status = {
    ...built,
    workstations: built.workstations.map((w) => ({
      ...w,
      readiness: w.instanceId === null ? null : (o.readiness[w.instanceId] ?? null),
    })),
  };
  const detail = o.name === undefined ? undefined : workstationDetail(status, o.desired, o.observed, o.name);
  if (o.name !== undefined && detail === undefined) {
    const known = [...status.workstations.map((w) => w.name), ...status.orphans.map((w) => w.name)];
    o.io.stderr(
      `labops status: no workstation named "${o.name}" (known: ${known.length ? [...new Set(known)].join(', ') : 'none'})\n`,
    );
    return 1;
  }
  const sections = kindSections(o.desired, o.observed, o.record, o.now);
  if (o.format === 'json') {
    const { workstations, orphans, keptVolumes, totalMonthlyUSD, ...meta } = status;
    const body =
      detail === undefined
        ? { version: 1, ...meta, workstations, orphans, keptVolumes, totalMonthlyUSD, ...kindSectionsJson(sections) }
        : { version: 1, ...meta, workstation: detail };
    o.io.stdout(`${JSON.stringify(body, null, 2)}\n`);
  } else if (o.format === 'markdown') {
    o.io.stdout(
      detail === undefined
        ? renderStatusReportMarkdown(status) + renderKindSectionsMarkdown(sections)
        : renderStatusDetailMarkdown(status, detail),
    );
  } else {
    o.io.stdout(
      detail === undefined
        ? renderStatusText(status, o.style) + renderKindSectionsText(sections)
        : renderStatusDetailText(status, detail, o.style),
    );
    if (o.problems > 0)
      o.io.stdout(
        `\n${o.problems} validation problem(s): invalid workstations are shown as they are; run \`labops validate\`.\n`,
      );
  }
  return 0;
}
