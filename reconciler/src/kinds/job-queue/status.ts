/**
 * The JobQueue section of `labops status`: each declared queue, its state as Batch reports it, its
 * compute environments in order and its worst-case burn. Pure: a function of (desired, observed).
 */
import type { StatusSection } from '../../engine/kind.js';
import type { Desired } from '../../model/desired.js';
import { queueCeilingUSDPerHour } from '../../model/job-queue.js';
import type { Observed } from '../../model/observed.js';
import { markdownCell } from '../../report/plan-markdown.js';
import { alignRows } from '../../report/status-text.js';
import { resolveQueueNetwork } from './network.js';

/** One JobQueue in `labops status`. */
export interface JobQueueStatus {
  name: string;
  region: string;
  project: string;
  /** `ENABLED`/`DISABLED` and Batch's status, e.g. `ENABLED VALID`; `absent` when Batch has no such queue. */
  state: string;
  /** Compute environments in order, each `NAME (STATE STATUS, max N vCPUs)`. */
  computeEnvironments: string[];
  /** maxVcpus × the priciest type's vCPU-hour, summed; null when unpriced (or external). */
  ceilingUSDPerHour: number | null;
  external: boolean;
}

/** Every declared queue, by name. */
export function buildJobQueueStatus(desired: Desired, observed: Observed): JobQueueStatus[] {
  return desired.jobQueues
    .map((q) => resolveQueueNetwork(q, observed.defaultNetworks?.[q.region]).queue ?? q)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((q) => {
      const seen = (observed.batchQueues[q.region] ?? []).find((b) => b.name === q.name);
      const environments = observed.computeEnvironments[q.region] ?? [];
      const ceiling = q.external ? undefined : queueCeilingUSDPerHour(q);
      return {
        name: q.name,
        region: q.region,
        project: q.project,
        state: seen === undefined ? 'absent' : `${seen.state} ${seen.status}`,
        computeEnvironments: q.computeEnvironments.map((ce) => {
          const e = environments.find((x) => x.name === ce.batchName);
          return e === undefined
            ? `${ce.batchName} (absent)`
            : `${ce.batchName} (${e.state} ${e.status}, max ${e.maxVcpus ?? '?'} vCPUs)`;
        }),
        ceilingUSDPerHour: ceiling === undefined ? null : Math.round(ceiling * 100) / 100,
        external: q.external,
      };
    });
}

const HEADER = ['JOB QUEUE', 'REGION', 'STATE', 'COMPUTE ENVIRONMENTS', 'WORST CASE'];

function rows(queues: readonly JobQueueStatus[]): string[][] {
  return queues.map((q) => [
    q.external ? `${q.name} (external)` : q.name,
    q.region,
    q.state,
    q.computeEnvironments.join(' → ') || '-',
    q.ceilingUSDPerHour === null ? '-' : `$${q.ceilingUSDPerHour.toFixed(2)}/h`,
  ]);
}

/** The queues as aligned text; empty when the lab declares none. */
export function renderJobQueueStatusText(queues: readonly JobQueueStatus[]): string {
  if (queues.length === 0) return '';
  const lines = alignRows([HEADER, ...rows(queues)]).map((l) => `  ${l}`);
  return `${['', 'Job queues:', ...lines].join('\n')}\n`;
}

/** The queues as a markdown table; empty when the lab declares none. */
export function renderJobQueueStatusMarkdown(queues: readonly JobQueueStatus[]): string {
  if (queues.length === 0) return '';
  const table = [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => ' --- ').join('|')}|`,
    ...rows(queues).map((r) => `| ${r.map(markdownCell).join(' | ')} |`),
  ];
  return `${['', '#### Job queues', '', ...table].join('\n')}\n`;
}

/** The section, as the engine shows it. */
export function jobQueueStatusSection(desired: Desired, observed: Observed): StatusSection {
  const rows = buildJobQueueStatus(desired, observed);
  return { key: 'jobQueues', rows, text: renderJobQueueStatusText(rows), markdown: renderJobQueueStatusMarkdown(rows) };
}
