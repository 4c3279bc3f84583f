/** `labops status` for a terminal: an aligned table of workstations, orphans, and one in detail. */
import { formatUSD } from './money.js';
import { escapeControls } from './safe-text.js';
import { paint } from './style.js';
import type { Style } from './style.js';
import type { WorkstationDetail } from '../kinds/workstation/status-detail.js';
import type { StatusReport, WorkstationStatus } from '../kinds/workstation/status-rows.js';
import type { Readiness } from '../model/observed.js';

const WORKSTATION_HEADERS = [
  'NAME',
  'OWNER',
  'PROJECT',
  'REGION',
  'INSTANCE',
  'STATE',
  'READY',
  'DESIRED',
  'TYPE',
  'PRIVATE IP',
  'PUBLIC IP',
  'LAUNCHED',
  '$/MONTH',
  'RULE',
];
const ORPHAN_HEADERS = ['NAME', 'INSTANCE', 'REGION', 'STATE', 'TYPE', 'LAUNCHED', '$/MONTH', 'REASON'];
const KEPT_HEADERS = ['WORKSTATION', 'VOLUME', 'VOLUME ID', 'REGION', 'SIZE', 'TYPE', '$/MONTH'];

/** Rows padded to their columns' widths (the last column is never padded); cells hold names and AWS tags, so control characters are escaped first. */
export function alignRows(table: readonly string[][]): string[] {
  const rows = table.map((row) => row.map(escapeControls));
  const widths: number[] = [];
  for (const row of rows) for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** `running ✓` when the instance is as the rules want it now, `stopped ✗` when not. */
function desiredCell(w: WorkstationStatus): string {
  if (w.desiredState === null) return '-';
  return `${w.desiredState} ${w.matches ? '✓' : '✗'}`;
}

/** `m6i.large`, or `m6i.large → m6i.xlarge` when a resize is due. */
function typeCell(w: WorkstationStatus): string {
  if (w.instanceType === null) return '-';
  return w.desiredInstanceType === null ? w.instanceType : `${w.instanceType} → ${w.desiredInstanceType}`;
}

function time(iso: string | null): string {
  return iso === null || iso === '' ? '-' : `${iso.slice(0, 16).replace('T', ' ')}Z`;
}

function summary(report: StatusReport): string {
  const running = report.workstations.filter((w) => w.state === 'running').length;
  const off = report.workstations.filter((w) => !w.matches).length;
  const parts = [
    `${report.workstations.length} workstation(s)`,
    `${running} running`,
    `${off} not as desired now`,
    `${report.orphans.length} orphan(s)`,
    `${report.keptVolumes.length} kept volume(s)`,
  ];
  return `${parts.join(', ')}; run-rate ${formatUSD(report.totalMonthlyUSD)}/month`;
}

function header(report: StatusReport, style: Style): string[] {
  const out = [paint(style, 'bold', escapeControls(`labops status — ${report.repo} at ${report.now}`))];
  if (report.accountId !== report.expectedAccountId) {
    out.push(
      `${paint(style, 'yellow', '! account:')} ${escapeControls(`observed ${report.accountId}, but labops.yaml names ${report.expectedAccountId}`)}`,
    );
  }
  return out;
}

/** `90` → `1m30s`. */
function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return m === 0 ? `${seconds}s` : `${m}m${String(seconds % 60).padStart(2, '0')}s`;
}

/**
 * Readiness in a cell: `ready in 4m02s`, `ready in 0m41s (image)` (booted from a built environment
 * image), `provisioning`, `failed after 30m00s`, or `-` when not read.
 */
export function readyCell(readiness: Readiness | null): string {
  if (readiness === null) return '-';
  if (readiness.tookSeconds === null) return readiness.state;
  const took = `${readiness.state} ${readiness.state === 'ready' ? 'in' : 'after'} ${duration(readiness.tookSeconds)}`;
  return readiness.path === 'image' ? `${took} (image)` : took;
}

/** The whole lab: one row per workstation, then orphans, then a summary line. */
export function renderStatusText(report: StatusReport, style: Style): string {
  const out = header(report, style);
  if (report.workstations.length === 0) out.push('', 'No workstations declared.');
  else {
    const rows = report.workstations.map((w) => [
      w.name,
      w.owner || '-',
      w.project || '-',
      w.region,
      w.instanceId ?? '-',
      w.state,
      readyCell(w.readiness),
      desiredCell(w),
      typeCell(w),
      w.privateIp ?? '-',
      w.publicIp ?? '-',
      time(w.launchedAt),
      formatUSD(w.monthlyUSD),
      w.rule ?? '',
    ]);
    const [head = '', ...body] = alignRows([WORKSTATION_HEADERS, ...rows]);
    out.push(
      '',
      `  ${paint(style, 'dim', head)}`,
      ...body.map((line, i) => `  ${report.workstations[i]?.matches ? line : paint(style, 'yellow', line)}`),
    );
  }
  if (report.orphans.length > 0) {
    const rows = report.orphans.map((o) => [
      o.name,
      o.instanceId,
      o.region,
      o.state,
      o.instanceType,
      time(o.launchedAt),
      formatUSD(o.monthlyUSD),
      o.reason,
    ]);
    const [head = '', ...body] = alignRows([ORPHAN_HEADERS, ...rows]);
    out.push(
      '',
      paint(style, 'bold', 'Orphans (instances of this repository without a spec; destroyed only with prune: true):'),
      `  ${paint(style, 'dim', head)}`,
      ...body.map((l) => `  ${l}`),
    );
  }
  if (report.keptVolumes.length > 0) {
    const rows = report.keptVolumes.map((v) => [
      v.name || '-',
      v.volume ?? '-',
      v.volumeId,
      v.region,
      `${v.sizeGiB} GiB`,
      v.type,
      formatUSD(v.monthlyUSD),
    ]);
    const [head = '', ...body] = alignRows([KEPT_HEADERS, ...rows]);
    out.push(
      '',
      paint(
        style,
        'bold',
        'Kept volumes (attached to no instance; labops never deletes data, so they cost until deleted by hand):',
      ),
      `  ${paint(style, 'dim', head)}`,
      ...body.map((l) => `  ${l}`),
    );
  }
  out.push('', summary(report));
  return `${out.join('\n')}\n`;
}

/** One workstation: its row as labelled lines, then volumes and tags. */
export function renderStatusDetailText(report: StatusReport, detail: WorkstationDetail, style: Style): string {
  const out = header(report, style);
  const fields: [string, string][] = [
    ['owner', detail.owner || '-'],
    ['project', detail.project || '-'],
    ['region', detail.region],
    ['spec', detail.spec],
    ['instance', detail.instanceId ?? '- (none)'],
    ['state', detail.state],
    [
      'ready',
      detail.readiness === null ? '-' : `${readyCell(detail.readiness)}: ${escapeControls(detail.readiness.detail)}`,
    ],
    ['desired', detail.desiredState === null ? '-' : `${desiredCell(detail)} (${detail.rule})`],
    ['type', typeCell(detail)],
    ['private IP', detail.privateIp ?? '-'],
    ['public IP', detail.publicIp ?? '-'],
    ['launched', time(detail.launchedAt)],
    ['run-rate', `${formatUSD(detail.monthlyUSD)}/month`],
    [
      'environment',
      detail.environment === null
        ? '-'
        : `${detail.environment}${detail.launchedEnvironment && detail.launchedEnvironment !== detail.environment ? ` (launched with ${detail.launchedEnvironment})` : ''}`,
    ],
    ['AMI', detail.imageId ?? '-'],
    [
      'hibernation',
      detail.hibernationConfigured === null ? '-' : detail.hibernationConfigured ? 'configured' : 'not configured',
    ],
    ['schedule', detail.schedule ?? '-'],
    ['idle', detail.idle ?? '-'],
    [
      'CPU',
      detail.cpu === null
        ? '-'
        : `${detail.cpu.averageCpuPercent.toFixed(1)}% average, below the idle threshold for ${Math.floor(detail.cpu.idleSeconds / 60)}m`,
    ],
  ];
  out.push(
    '',
    paint(style, 'bold', escapeControls(detail.name)),
    ...alignRows(fields.map(([k, v]) => [k, v])).map((l) => `  ${l}`),
  );
  out.push('', paint(style, 'bold', 'Volumes'));
  if (detail.volumes.length === 0) out.push('  none');
  else
    out.push(
      ...alignRows(
        detail.volumes.map((v) => [
          v.device ?? '-',
          v.name ?? '-',
          `${v.sizeGiB} GiB`,
          v.type,
          v.volumeId,
          v.state,
          v.deleteOnTermination ? 'deleted with the instance' : 'kept',
        ]),
      ).map((l) => `  ${l}`),
    );
  out.push('', paint(style, 'bold', 'Tags'));
  const tags = Object.entries(detail.tags);
  out.push(...(tags.length === 0 ? ['  none'] : alignRows(tags.map(([k, v]) => [k, v])).map((l) => `  ${l}`)));
  return `${out.join('\n')}\n`;
}
