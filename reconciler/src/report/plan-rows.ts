/**
 * What a plan row says about one action, for people approving it: a symbol for what kind of
 * change it is, what happens, whether it interrupts a running workstation (and for how long),
 * what an orphan keeps costing, and whether the pull request caused it or the clock did.
 *
 * Downtime figures are labops' estimates, not AWS figures (docs/action.md, "Downtime"): EC2
 * publishes no durations for stop, start or launch. A resize of a running instance is a stop,
 * a ModifyInstanceAttribute and a start — usually 2–5 minutes, bounded by the SDK waiters labops
 * uses (15-second polls, 40 attempts: 10 minutes each for stopped and running). A replacement is
 * a root snapshot, a launch and the first boot — 5–10 minutes from a prebuilt image, 15–30 when the
 * environment is installed at first boot (user data), longer when an image is copied to the Region.
 */
import type { Action, ActionKind, Plan } from '../model/plan.js';
import { formatUSD } from './money.js';

/** What the rows need beyond the plan: live instance states and orphans' run-rates (orphans exist only while `prune` is off). */
export interface RowContext {
  /** State of each live instance, by instance id (observed). @default none: nothing counts as running */
  instanceStates?: ReadonlyMap<string, string>;
  /** Monthly run-rate each orphaned instance keeps costing (its compute and storage), by instance id. @default none */
  orphanMonthlyUSD?: ReadonlyMap<string, number>;
}

const SYMBOLS: Record<ActionKind, string> = {
  create: '+',
  'submit-job': '+',
  snapshot: '+',
  'copy-snapshot': '+',
  resize: '~',
  retag: '~',
  replace: '±',
  destroy: '−',
  orphan: '−',
  'delete-snapshot': '−',
  'cancel-job': '−',
  'create-aws-budget': '+',
  'update-aws-budget': '~',
  'delete-aws-budget': '−',
  'create-compute-environment': '+',
  'create-job-queue': '+',
  'update-compute-environment': '~',
  'update-job-queue': '~',
  'delete-compute-environment': '−',
  'delete-job-queue': '−',
  'create-image-resource': '+',
  'build-image': '+',
  'retire-image': '−',
  start: '⏻',
  stop: '⏻',
  hibernate: '⏻',
  drift: '!',
};

/** The row's symbol: + create, ~ update/resize, ± replace, − destroy/orphan, ⏻ power, ! drift. */
export function actionSymbol(a: Action): string {
  return SYMBOLS[a.kind];
}

/** The legend under a table of rows. */
export const SYMBOL_LEGEND = '+ create · ~ update/resize · ± replace · − destroy/orphan · ⏻ power · ! drift';

/** Rules the clock decides: schedules (power and snapshots), calendars, idle stops, budgets, retention, copies. */
const CLOCK_RULE = /^(schedule|calendar|idle|budget|retention|copyTo)\b/;

/**
 * True when the action is due whatever the pull request says: the clock (schedules, calendars,
 * idle, budgets, snapshot retention and copies) or drift found in AWS. Decided from the rule.
 */
export function notFromChange(a: Action): boolean {
  return a.kind === 'drift' || CLOCK_RULE.test(a.rule);
}

/** The pull request's own change to the monthly run-rate: the sum of the deltas of actions the clock and drift did not cause. */
export function changeDeltaUSD(plan: Plan): number {
  return (
    Math.round(plan.actions.filter((a) => !notFromChange(a)).reduce((sum, a) => sum + a.monthlyDeltaUSD, 0) * 100) / 100
  );
}

/**
 * The downtime a change causes a running workstation, e.g. `≈ 2–5 min (stop, modify, start)`;
 * undefined when it stops nothing that runs.
 */
export function downtime(a: Action, ctx: RowContext = {}): string | undefined {
  if (a.kind === 'resize') return a.details.restart ? '≈ 2–5 min (stop, modify, start)' : undefined;
  if (a.kind !== 'replace') return undefined;
  if (ctx.instanceStates?.get(a.details.oldInstanceId) !== 'running') return undefined;
  const copy = a.details.copyImage ? ', plus the image copy to the Region' : '';
  return a.details.launch.userData
    ? `≈ 15–30 min (snapshot, launch, install the environment at first boot${copy})`
    : `≈ 5–10 min (snapshot, launch from the image${copy})`;
}

/** True for actions that can lose data or running work, or stop a running workstation for a while. */
export function isImportant(a: Action, ctx: RowContext = {}): boolean {
  return a.destructive || downtime(a, ctx) !== undefined;
}

/** What happens, in words: the kind, the downtime of a disruptive change, what an orphan keeps costing and how to remove it. */
export function whatHappens(a: Action, ctx: RowContext = {}): string {
  const down = downtime(a, ctx);
  if (down) return `${a.kind}: ⏸ running workstation down ${down}`;
  if (a.kind === 'orphan' && a.instanceId !== undefined) {
    const cost = ctx.orphanMonthlyUSD?.get(a.instanceId);
    const keeps = cost === undefined ? 'left running, still costing' : `still costing ${formatUSD(cost)}/month`;
    return `orphan: ${keeps}; remove with \`prune: true\` in labops.yaml`;
  }
  if (a.kind === 'orphan') return 'orphan: left alone; remove with `prune: true` in labops.yaml';
  return a.kind;
}
