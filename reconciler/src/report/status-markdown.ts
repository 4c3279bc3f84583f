/** `labops status --format markdown`: GitHub tables for a job summary, an issue or a comment. */
import { readyCell } from './status-text.js';
import { formatUSD } from './money.js';
import type { WorkstationDetail } from '../kinds/workstation/status-detail.js';
import type { StatusReport, WorkstationStatus } from '../kinds/workstation/status-rows.js';

/** A cell safe inside a table row: pipes escaped, newlines flattened, empty as `–`. */
function cell(text: string | null): string {
  if (text === null || text === '') return '–';
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string | null): string {
  return text === null || text === '' ? '–' : `\`${text}\``;
}

function table(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function desired(w: WorkstationStatus): string {
  if (w.desiredState === null) return cell(w.rule);
  return `${w.matches ? '✅' : '⚠️'} ${w.desiredState} (${cell(w.rule)})`;
}

function typeOf(w: WorkstationStatus): string {
  if (w.instanceType === null) return '–';
  return w.desiredInstanceType === null
    ? code(w.instanceType)
    : `${code(w.instanceType)} → ${code(w.desiredInstanceType)}`;
}

function heading(report: StatusReport): string[] {
  const out = [`### labops status — ${report.repo}`, '', `At ${report.now}.`];
  if (report.accountId !== report.expectedAccountId)
    out.push('', `> ⚠️ Observed account ${report.accountId}, but \`labops.yaml\` names ${report.expectedAccountId}.`);
  return out;
}

/** The `labops status --format markdown` report: every workstation and orphan as tables, with the total run-rate. */
export function renderStatusReportMarkdown(report: StatusReport): string {
  const out = heading(report);
  const rows = report.workstations.map((w) => [
    `**${cell(w.name)}**`,
    cell(w.owner),
    cell(w.project),
    cell(w.region),
    code(w.instanceId),
    cell(w.state),
    cell(readyCell(w.readiness)),
    desired(w),
    typeOf(w),
    cell(w.privateIp),
    cell(w.publicIp),
    cell(w.launchedAt),
    formatUSD(w.monthlyUSD),
  ]);
  out.push(
    '',
    ...table(
      [
        'workstation',
        'owner',
        'project',
        'region',
        'instance',
        'state',
        'ready',
        'desired now',
        'type',
        'private IP',
        'public IP',
        'launched',
        '$/month',
      ],
      rows,
    ),
  );
  if (report.orphans.length > 0) {
    const orphanRows = report.orphans.map((o) => [
      `**${cell(o.name)}**`,
      code(o.instanceId),
      cell(o.region),
      cell(o.state),
      code(o.instanceType),
      cell(o.launchedAt),
      formatUSD(o.monthlyUSD),
      cell(o.reason),
    ]);
    out.push(
      '',
      '#### Orphans',
      '',
      ...table(['name', 'instance', 'region', 'state', 'type', 'launched', '$/month', 'reason'], orphanRows),
    );
  }
  if (report.keptVolumes.length > 0) {
    const keptRows = report.keptVolumes.map((v) => [
      `**${cell(v.name)}**`,
      cell(v.volume),
      code(v.volumeId),
      cell(v.region),
      `${v.sizeGiB} GiB`,
      cell(v.type),
      formatUSD(v.monthlyUSD),
    ]);
    out.push(
      '',
      '#### Kept volumes',
      '',
      'Attached to no instance; labops never deletes data, so they cost until deleted by hand.',
      '',
      ...table(['workstation', 'volume', 'id', 'region', 'size', 'type', '$/month'], keptRows),
    );
  }
  out.push(
    '',
    `Run-rate: **${formatUSD(report.totalMonthlyUSD)}/month** (${report.workstations.length} workstation(s), ${report.orphans.length} orphan(s), ${report.keptVolumes.length} kept volume(s)).`,
  );
  return `${out.join('\n')}\n`;
}

/** One workstation: its fields, volumes and tags. */
export function renderStatusDetailMarkdown(report: StatusReport, detail: WorkstationDetail): string {
  const out = heading(report);
  const fields: [string, string][] = [
    ['owner', cell(detail.owner)],
    ['project', cell(detail.project)],
    ['region', cell(detail.region)],
    ['spec', detail.spec],
    ['instance', code(detail.instanceId)],
    ['state', cell(detail.state)],
    [
      'ready',
      detail.readiness === null ? cell(null) : cell(`${readyCell(detail.readiness)}: ${detail.readiness.detail}`),
    ],
    ['desired now', desired(detail)],
    ['type', typeOf(detail)],
    ['private IP', cell(detail.privateIp)],
    ['public IP', cell(detail.publicIp)],
    ['launched', cell(detail.launchedAt)],
    ['run-rate', `${formatUSD(detail.monthlyUSD)}/month`],
    ['environment', code(detail.environment)],
    ['launched environment', code(detail.launchedEnvironment)],
    ['AMI', code(detail.imageId)],
    ['schedule', cell(detail.schedule)],
    ['idle', cell(detail.idle)],
  ];
  out.push(
    '',
    `#### ${detail.name}`,
    '',
    ...table(
      ['field', 'value'],
      fields.map(([k, v]) => [k, v]),
    ),
  );
  const volumes = detail.volumes.map((v) => [
    code(v.volumeId),
    cell(v.name),
    cell(v.device),
    `${v.sizeGiB} GiB`,
    cell(v.type),
    cell(v.state),
  ]);
  out.push(
    '',
    '#### Volumes',
    '',
    ...(volumes.length ? table(['volume', 'name', 'device', 'size', 'type', 'state'], volumes) : ['None.']),
  );
  const tags = Object.entries(detail.tags).map(([k, v]) => [code(k), cell(v)]);
  out.push('', '#### Tags', '', ...(tags.length ? table(['key', 'value'], tags) : ['None.']));
  return `${out.join('\n')}\n`;
}
