/** Counting a plan's actions: the one-line summary every report starts with. */
import type { ActionKind, Plan } from '../model/plan.js';
import { formatDeltaUSD } from './money.js';

/** Actions per kind, every kind present (0 when none). */
export function countActions(plan: Plan): Record<ActionKind, number> {
  const counts: Record<ActionKind, number> = {
    create: 0,
    start: 0,
    stop: 0,
    hibernate: 0,
    resize: 0,
    replace: 0,
    retag: 0,
    destroy: 0,
    orphan: 0,
    drift: 0,
    snapshot: 0,
    'copy-snapshot': 0,
    'delete-snapshot': 0,
    'submit-job': 0,
    'cancel-job': 0,
    'create-aws-budget': 0,
    'update-aws-budget': 0,
    'delete-aws-budget': 0,
    'create-compute-environment': 0,
    'update-compute-environment': 0,
    'delete-compute-environment': 0,
    'create-job-queue': 0,
    'update-job-queue': 0,
    'delete-job-queue': 0,
    'create-image-resource': 0,
    'build-image': 0,
    'retire-image': 0,
  };
  for (const action of plan.actions) counts[action.kind]++;
  return counts;
}

/** True when applying the plan would change something (reports alone are not changes). */
export function hasChanges(plan: Plan): boolean {
  return plan.actions.some((a) => a.kind !== 'orphan' && a.kind !== 'drift');
}

const VERBS: [ActionKind, string][] = [
  ['create', 'to create'],
  ['replace', 'to replace'],
  ['resize', 'to resize'],
  ['start', 'to start'],
  ['stop', 'to stop'],
  ['hibernate', 'to hibernate'],
  ['retag', 'to retag'],
  ['snapshot', 'to snapshot'],
  ['copy-snapshot', 'to copy'],
  ['delete-snapshot', 'snapshot deletion(s)'],
  ['submit-job', 'job(s) to submit'],
  ['cancel-job', 'job(s) to cancel'],
  ['create-aws-budget', 'AWS budget(s) to create'],
  ['update-aws-budget', 'AWS budget(s) to update'],
  ['delete-aws-budget', 'AWS budget(s) to delete'],
  ['create-job-queue', 'job queue(s) to create'],
  ['create-compute-environment', 'compute environment(s) to create'],
  ['update-job-queue', 'job queue update(s)'],
  ['update-compute-environment', 'compute environment update(s)'],
  ['delete-job-queue', 'job queue(s) to delete'],
  ['delete-compute-environment', 'compute environment(s) to delete'],
  ['create-image-resource', 'Image Builder resource(s) to create'],
  ['build-image', 'image build(s) to start'],
  ['retire-image', 'image(s) to retire'],
];

/** `3 to create, 1 to resize, 0 to destroy; 1 drifted; +$412.10/month` (destroy always shown). */
export function summaryLine(plan: Plan): string {
  const counts = countActions(plan);
  const parts = VERBS.filter(([kind]) => counts[kind] > 0).map(([kind, verb]) => `${counts[kind]} ${verb}`);
  parts.push(`${counts.destroy} to destroy`);
  const reports = [
    counts.drift ? `${counts.drift} drifted` : '',
    counts.orphan ? `${counts.orphan} orphaned` : '',
  ].filter(Boolean);
  return `${parts.join(', ')}${reports.length ? `; ${reports.join(', ')}` : ''}; ${formatDeltaUSD(plan.monthlyDeltaUSD)}/month`;
}
