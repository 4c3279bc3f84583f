/** Held files: the record's bookkeeping, the overlay a tree is read through, and merging two writers' holds. */
import { afterEach, describe, expect, it } from 'vitest';
import { emptyRecord } from '../../../reconciler/src/model/record.js';
import type { HoldRecord, RunRecord } from '../../../reconciler/src/model/record.js';
import { activeHolds, applyHoldChanges } from '../../../reconciler/src/record/holds.js';
import type { HoldChanges } from '../../../reconciler/src/record/holds.js';
import { mergeRecords } from '../../../reconciler/src/record/merge.js';
import { loadLabFiles } from '../../../reconciler/src/specs/lab-files.js';
import { makeLab } from '../../support/lab-fixture.js';

const T1 = new Date('2026-09-01T12:00:00Z');
const T2 = new Date('2026-09-02T12:00:00Z');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function hold(patch: Partial<HoldRecord> = {}): HoldRecord {
  return {
    commit: '0'.repeat(40),
    blob: '1'.repeat(40),
    sha: 'a'.repeat(40),
    since: T1.toISOString(),
    updatedAt: T1.toISOString(),
    reasons: ['needs an admin'],
    ...patch,
  };
}

function withHolds(holds: Record<string, HoldRecord>): RunRecord {
  return { ...emptyRecord(), holds };
}

describe('applyHoldChanges', () => {
  const cases: {
    name: string;
    start: Record<string, HoldRecord>;
    changes: HoldChanges;
    expected: Record<string, Partial<HoldRecord>>;
  }[] = [
    {
      name: 'a new refusal holds the file at its approved blob',
      start: {},
      changes: {
        hold: [
          { file: 'budgets/b.yaml', commit: '0'.repeat(40), blob: '1'.repeat(40), sha: 'b'.repeat(40), reasons: ['r'] },
        ],
      },
      expected: {
        'budgets/b.yaml': {
          commit: '0'.repeat(40),
          blob: '1'.repeat(40),
          sha: 'b'.repeat(40),
          since: T2.toISOString(),
          reasons: ['r'],
        },
      },
    },
    {
      name: 'a second refusal keeps the first refusal time',
      start: { 'budgets/b.yaml': hold() },
      changes: {
        hold: [
          {
            file: 'budgets/b.yaml',
            commit: '0'.repeat(40),
            blob: '1'.repeat(40),
            sha: 'b'.repeat(40),
            reasons: ['r2'],
          },
        ],
      },
      expected: {
        'budgets/b.yaml': {
          blob: '1'.repeat(40),
          sha: 'b'.repeat(40),
          since: T1.toISOString(),
          reasons: ['r2'],
          updatedAt: T2.toISOString(),
        },
      },
    },
    {
      name: 'an approved change to the file releases it (kept as a tombstone)',
      start: { 'budgets/b.yaml': hold() },
      changes: { release: ['budgets/b.yaml'], releasedBy: 'approved in bbbb' },
      expected: {
        'budgets/b.yaml': { clearedAt: T2.toISOString(), clearedBy: 'approved in bbbb', updatedAt: T2.toISOString() },
      },
    },
    {
      name: 'releasing a file that is not held changes nothing',
      start: {},
      changes: { release: ['workstations/w.yaml'] },
      expected: {},
    },
    {
      name: 'a released file refused again is held afresh at the new base',
      start: { 'budgets/b.yaml': hold({ clearedAt: T1.toISOString(), clearedBy: 'reverted' }) },
      changes: {
        hold: [{ file: 'budgets/b.yaml', commit: '2'.repeat(40), blob: null, sha: 'c'.repeat(40), reasons: ['r3'] }],
      },
      expected: { 'budgets/b.yaml': { commit: '2'.repeat(40), blob: null, since: T2.toISOString() } },
    },
  ];
  it.each(cases)('$name', ({ start, changes, expected }) => {
    const record = withHolds(structuredClone(start));

    applyHoldChanges(record, changes, T2);

    expect(Object.keys(record.holds ?? {})).toEqual(Object.keys(expected));
    for (const [file, want] of Object.entries(expected)) expect(record.holds![file]).toMatchObject(want);
    expect(activeHolds(record).map((h) => h.file)).toEqual(
      Object.keys(expected).filter((f) => !expected[f]!.clearedAt),
    );
  });
});

describe('loadLabFiles with an overlay', () => {
  it('reads overlaid text in place of the tree, skips files overlaid as absent, and restores deleted ones', () => {
    const ws = (name: string, type: string): string =>
      `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ${name}, owner: alice, project: p }\nspec: { environment: base@1, instanceType: ${type} }\n`;
    const { dir, cleanup } = makeLab({
      'workstations/a.yaml': ws('a', 'm6i.xlarge'),
      'workstations/b.yaml': ws('b', 'm6i.large'),
    });
    cleanups.push(cleanup);
    const overlay = new Map<string, string | null>([
      ['workstations/a.yaml', ws('a', 'm6i.large')],
      ['workstations/b.yaml', null],
      ['workstations/c.yaml', ws('c', 't3.large')],
    ]);

    const files = loadLabFiles(dir, overlay);

    const mine = files.documents.filter((d) => /^workstations\/[abc]\.yaml$/.test(d.file));
    expect(mine.map((d) => [d.file, (d.value as { spec: { instanceType: string } }).spec.instanceType])).toEqual([
      ['workstations/a.yaml', 'm6i.large'],
      ['workstations/c.yaml', 't3.large'],
    ]);
    expect(files.files).not.toContain('workstations/b.yaml');
    expect(files.sourceLine('workstations/a.yaml', 4)).toContain('m6i.large');
  });
});

describe('mergeRecords holds', () => {
  it('keeps, per file, the entry changed last, so an older copy never revives a released hold', () => {
    const released = hold({ clearedAt: T2.toISOString(), updatedAt: T2.toISOString(), clearedBy: 'reverted' });
    const ours = withHolds({ 'budgets/b.yaml': hold(), 'jobs/j.yaml': hold({ blob: null }) });
    const theirs = withHolds({ 'budgets/b.yaml': released });

    const merged = mergeRecords(ours, theirs);

    expect(merged.holds).toEqual({ 'budgets/b.yaml': released, 'jobs/j.yaml': hold({ blob: null }) });
    expect(mergeRecords(emptyRecord(), emptyRecord()).holds).toBeUndefined();
  });
});
