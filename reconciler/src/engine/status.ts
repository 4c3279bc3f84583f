/**
 * The kinds' sections of `labops status`, in registry order: each kind's rows (JSON, under its
 * key), text and markdown. Pure: a function of (desired, observed, record, now).
 */
import type { Desired } from '../model/desired.js';
import type { Observed } from '../model/observed.js';
import type { RunRecord } from '../model/record.js';
import type { StatusSection } from './kind.js';
import { KINDS } from './registry.js';
import { budgetActionsSection } from '../kinds/budget/status-section.js';

/** Every kind's section. */
export function kindSections(desired: Desired, observed: Observed, record: RunRecord, now: Date): StatusSection[] {
  return [
    ...KINDS.flatMap((k) => (k.status ? [k.status(desired, observed, record, now)] : [])),
    budgetActionsSection(record, now),
  ];
}

/** The sections' rows by key, for `labops status --format json`. */
export function kindSectionsJson(sections: readonly StatusSection[]): Record<string, readonly object[]> {
  return Object.fromEntries(sections.map((s) => [s.key, s.rows]));
}

/** The sections as text, one after another. */
export function renderKindSectionsText(sections: readonly StatusSection[]): string {
  return sections.map((s) => s.text).join('');
}

/** The sections as markdown, one after another. */
export function renderKindSectionsMarkdown(sections: readonly StatusSection[]): string {
  return sections.map((s) => s.markdown).join('');
}
