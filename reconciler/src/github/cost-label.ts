/**
 * The cost label (opt-in `cost-label: true`): the pull request's own change to the monthly
 * run-rate as a label, `+$412/mo`, `-$35/mo` or `$0/mo`, so people can filter pull requests by
 * cost. One at a time: labops' previous cost label leaves the pull request when the figure changes.
 * Labels are created on demand (the repository's label stays for other pull requests).
 */
import type { Forge, RepoId } from './forge.js';

/** Names labops gives cost labels, and no others: `+$1,234/mo`, `-$35/mo`, `$0/mo`. */
const COST_LABEL = /^(?:[+-]\$[1-9]\d{0,2}(?:,\d{3})*|\$0)\/mo$/;

const dollars = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `+$412/mo` for +412.10, `-$35/mo`, `$0/mo` under half a dollar either way. */
export function costLabelName(monthlyDeltaUSD: number): string {
  const whole = Math.round(Math.abs(monthlyDeltaUSD));
  if (whole === 0) return '$0/mo';
  return `${monthlyDeltaUSD > 0 ? '+' : '-'}$${dollars.format(whole)}/mo`;
}

/** True for a label labops made for a cost. */
export function isCostLabel(name: string): boolean {
  return COST_LABEL.test(name);
}

/** What happened to the label. */
export interface CostLabelOutcome {
  label: string;
  action: 'added' | 'unchanged';
  removed: string[];
}

/** Puts the cost label on the pull request, creating it when the repository lacks it, and removes labops' other cost labels. */
export async function syncCostLabel(
  forge: Forge,
  repo: RepoId,
  pull: number,
  monthlyDeltaUSD: number,
): Promise<CostLabelOutcome> {
  const label = costLabelName(monthlyDeltaUSD);
  const current = await forge.labelsOn(repo, pull);
  const stale = current.filter((name) => isCostLabel(name) && name !== label);
  const present = current.includes(label);
  if (!present) {
    await forge.ensureLabel(repo, {
      name: label,
      color: monthlyDeltaUSD >= 0.5 ? 'd93f0b' : monthlyDeltaUSD <= -0.5 ? '0e8a16' : 'ededed',
      description: "labops: this pull request's change to the monthly run-rate",
    });
    await forge.addLabels(repo, pull, [label]);
  }
  for (const name of stale) await forge.removeLabel(repo, pull, name);
  return { label, action: present ? 'unchanged' : 'added', removed: stale };
}
