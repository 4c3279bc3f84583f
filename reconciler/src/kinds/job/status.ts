/**
 * The Job section of `labops status`: from the run record (job submissions and the statuses last
 * seen, which Batch forgets after a week). Pure: a function of (desired, record), rendered as text,
 * markdown or JSON rows.
 */
import type { StatusSection } from '../../engine/kind.js';
import type { Desired } from '../../model/desired.js';
import type { Observed } from '../../model/observed.js';
import { compareText } from '../../model/problem.js';
import type { JobRecord, RunRecord } from '../../model/record.js';
import { formatUSD } from '../../report/money.js';
import { markdownCell } from '../../report/plan-markdown.js';
import { alignRows } from '../../report/status-text.js';
import { currentSubmission } from './plan.js';

/** One Job submission (the current spec's, or an older one still in the record). */
export interface JobStatus {
  name: string;
  jobName: string;
  jobId: string;
  region: string;
  /** Last status seen, `CANCELLED` when labops stopped it. */
  status: string;
  /** Array children by status, e.g. `{ SUCCEEDED: 9, RUNNING: 3 }`. */
  children: Record<string, number> | null;
  submittedAt: string;
  /** When the status was seen. */
  statusAt: string | null;
  /** True for the submission of the spec as it is now (spec hash and rerun). */
  current: boolean;
  /** Run-time cost of a finished single job, always an estimate (run-cost.ts); null otherwise. */
  cost: (NonNullable<JobRecord['cost']> & { estimate: true }) | null;
}

/** Every recorded submission, by Job name then submission time. */
export function buildJobStatus(desired: Desired, record: RunRecord): JobStatus[] {
  const currentIds = new Set(desired.jobs.flatMap((j) => currentSubmission(j, record.jobs)?.jobId ?? []));
  return [...record.jobs]
    .sort((a, b) => compareText(a.name, b.name) || compareText(a.submittedAt, b.submittedAt))
    .map((j): JobStatus => ({
      name: j.name,
      jobName: j.jobName,
      jobId: j.jobId,
      region: j.region,
      status: j.cancelledAt !== undefined && j.status !== 'SUCCEEDED' ? 'CANCELLED' : (j.status ?? 'SUBMITTED'),
      children: j.children ?? null,
      submittedAt: j.submittedAt,
      statusAt: j.statusAt ?? null,
      current: currentIds.has(j.jobId),
      cost: j.cost === undefined ? null : { ...j.cost, estimate: true },
    }));
}

function progress(j: JobStatus): string {
  if (j.children === null) return j.status;
  const children = j.children;
  const total = Object.values(children).reduce((a, b) => a + b, 0);
  const done = (children.SUCCEEDED ?? 0) + (children.FAILED ?? 0);
  const parts = Object.entries(children)
    .sort(([a], [b]) => compareText(a, b))
    .map(([k, n]) => `${n} ${k.toLowerCase()}`);
  return `${j.status} (${done}/${total} done: ${parts.join(', ')})`;
}

const HEADER = ['JOB', 'BATCH JOB', 'JOB ID', 'SUBMITTED', 'PROGRESS', 'COST (EST.)'];

/** `~$0.0480 (1/2 m6i.large, 1.0 h)`: the estimate and what it rests on; `-` when there is none. */
function costCell(j: JobStatus): string {
  const c = j.cost;
  if (c === null) return '-';
  const share = c.vcpus === c.instanceVcpus ? '' : `${c.vcpus}/${c.instanceVcpus} `;
  return `~${formatUSD(c.usd)} (${share}${c.instanceType}, ${(c.runSeconds / 3600).toFixed(1)} h)`;
}

function rows(jobs: readonly JobStatus[]): string[][] {
  return jobs.map((j) => [
    j.current ? j.name : `${j.name} (earlier spec)`,
    j.jobName,
    j.jobId,
    `${j.submittedAt.slice(0, 16).replace('T', ' ')}Z`,
    progress(j),
    costCell(j),
  ]);
}

/** The jobs as aligned text; empty when the record has none. */
export function renderJobStatusText(jobs: readonly JobStatus[]): string {
  if (jobs.length === 0) return '';
  const lines = alignRows([HEADER, ...rows(jobs)]).map((l) => `  ${l}`);
  const note = jobs.some((j) => j.cost !== null)
    ? [
        '  Costs are estimates: running time × the job vCPUs share of the cheapest instance type its queue allows, at on-demand prices.',
      ]
    : [];
  return `${['', 'Jobs (from the run record; Batch forgets jobs a week after they end):', ...lines, ...note].join('\n')}\n`;
}

/** The jobs as a markdown table; empty when the record has none. */
export function renderJobStatusMarkdown(jobs: readonly JobStatus[]): string {
  if (jobs.length === 0) return '';
  const table = [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => ' --- ').join('|')}|`,
    ...rows(jobs).map((r) => `| ${r.map(markdownCell).join(' | ')} |`),
  ];
  const note = jobs.some((j) => j.cost !== null)
    ? [
        '',
        '_Costs are estimates: running time × the job vCPUs share of the cheapest instance type its queue allows, at on-demand prices._',
      ]
    : [];
  return `${['', '#### Jobs', '', ...table, ...note].join('\n')}\n`;
}

/** The section, as the engine shows it. */
export function jobStatusSection(desired: Desired, _observed: Observed, record: RunRecord): StatusSection {
  const rows = buildJobStatus(desired, record);
  return { key: 'jobs', rows, text: renderJobStatusText(rows), markdown: renderJobStatusMarkdown(rows) };
}
