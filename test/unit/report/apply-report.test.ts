import { describe, expect, it } from 'vitest';
import type { ActionResult } from '../../../reconciler/src/engine/apply/types.js';
import { renderApplyMarkdown, renderApplyText } from '../../../reconciler/src/report/apply-report.js';

const PLAIN = { color: false };

function done(kind: ActionResult['kind'], extra: Partial<ActionResult>): ActionResult {
  return {
    actionId: `SnapshotSchedule/nightly/${kind}/alice`,
    kind,
    name: 'nightly',
    resourceKind: 'SnapshotSchedule',
    status: 'done',
    ...extra,
  };
}

/** Times `id` occurs in `text`. */
function occurrences(text: string, id: string): number {
  return text.split(id).length - 1;
}

describe('apply results name each snapshot, image and volume id once', () => {
  it.each([
    [
      'volume snapshots (the detail lists them)',
      done('snapshot', {
        instanceId: 'i-0a1',
        snapshotIds: ['snap-0a1', 'snap-0b2'],
        detail: 'snapshots snap-0a1, snap-0b2',
      }),
      ['snap-0a1', 'snap-0b2'],
    ],
    [
      'snapshots partly found from an earlier run',
      done('snapshot', {
        instanceId: 'i-0a1',
        snapshotIds: ['snap-0a1', 'snap-0b2'],
        detail: 'snapshots snap-0a1, snap-0b2 (1 found from an earlier run)',
      }),
      ['snap-0a1', 'snap-0b2'],
    ],
    [
      'an image',
      done('snapshot', { instanceId: 'i-0a1', snapshotIds: ['ami-0c3'], detail: 'image ami-0c3 (NoReboot)' }),
      ['ami-0c3'],
    ],
    [
      'a copy',
      done('copy-snapshot', { snapshotIds: ['snap-0d4'], detail: 'copied snap-0a1 from us-east-1 as snap-0d4' }),
      ['snap-0d4', 'snap-0a1'],
    ],
    [
      'a delete whose detail counts only',
      done('delete-snapshot', { snapshotIds: ['snap-0e5', 'snap-0f6'], detail: 'deleted 2' }),
      ['snap-0e5', 'snap-0f6'],
    ],
    [
      'a destroy keeping volumes',
      {
        actionId: 'Workstation/alice/destroy',
        kind: 'destroy',
        name: 'alice',
        status: 'done',
        instanceId: 'i-0a1',
        snapshotIds: ['snap-0a7'],
        volumeIds: ['vol-0b8'],
        detail: 'kept data volumes vol-0b8',
      } satisfies ActionResult,
      ['snap-0a7', 'vol-0b8'],
    ],
  ])('%s', (_case, result, ids) => {
    const applied = { results: [result], ok: true };

    const text = renderApplyText(applied, PLAIN);
    const markdown = renderApplyMarkdown(applied);

    expect(ids.map((id) => [id, occurrences(text, id), occurrences(markdown, id)])).toEqual(
      ids.map((id) => [id, 1, 1]),
    );
  });

  it('labels ids the detail does not name', () => {
    const applied = {
      results: [done('delete-snapshot', { snapshotIds: ['snap-0e5', 'snap-0f6'], detail: 'deleted 2' })],
      ok: true,
    };

    const text = renderApplyText(applied, PLAIN);

    expect(text).toContain('deleted 2; snapshots snap-0e5, snap-0f6');
  });
});
