/** The one parser of `--record` and the Action's `record` input, and the store each choice names. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRecordOption, recordFlag, recordStoreAt } from '../../../reconciler/src/runtime/record-option.js';
import type { RecordChoice } from '../../../reconciler/src/runtime/record-option.js';
import { UsageError } from '../../../reconciler/src/errors.js';

const FILE_DEFAULT: RecordChoice = { kind: 'file', path: '/lab/.labops/record.json' };

describe('parseRecordOption', () => {
  it.each<[string | undefined, RecordChoice, RecordChoice]>([
    [undefined, FILE_DEFAULT, FILE_DEFAULT],
    ['', { kind: 'git' }, { kind: 'git' }],
    ['off', FILE_DEFAULT, { kind: 'off' }],
    ['git', FILE_DEFAULT, { kind: 'git' }],
    ['git:ops-status', FILE_DEFAULT, { kind: 'git', branch: 'ops-status' }],
    ['rec.json', { kind: 'git' }, { kind: 'file', path: 'rec.json' }],
    ['./off', FILE_DEFAULT, { kind: 'file', path: './off' }],
    ['/srv/record.json', FILE_DEFAULT, { kind: 'file', path: '/srv/record.json' }],
  ])('%j (default %j) is %j', (value, fallback, expected) => {
    expect(parseRecordOption(value, fallback)).toEqual(expected);
  });

  it.each([
    ['git:', '--record', '--record git:: "" is not a branch name'],
    ['git:two words', 'input record', 'input record git:two words: "two words" is not a branch name'],
  ])('refuses %j as a usage error naming %s', (value, name, message) => {
    expect(() => parseRecordOption(value, FILE_DEFAULT, name)).toThrow(new UsageError(message));
  });
});

describe('record flags', () => {
  it.each([
    [undefined, undefined, undefined],
    ['rec.json', undefined, 'rec.json'],
    [undefined, 'ops-status', 'git:ops-status'],
    ['git', 'ops-status', 'git:ops-status'],
    ['git:ops-status', 'ops-status', 'git:ops-status'],
  ])('--record %s --record-branch %s is --record %s', (record, branch, expected) => {
    expect(recordFlag(record, branch)).toBe(expected);
  });

  it('refuses two different records', () => {
    expect(() => recordFlag('rec.json', 'ops-status')).toThrow(
      '--record rec.json and --record-branch ops-status name two different run records',
    );
  });
});

describe('recordStoreAt', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has no store for off', async () => {
    expect(await recordStoreAt({ choice: { kind: 'off' }, base: '/', remote: { originOf: '/' } })).toBeUndefined();
  });

  it('refuses git in a folder with no origin remote, in one line naming the option', async () => {
    dir = mkdtempSync(join(tmpdir(), 'labops-record-option-'));
    await expect(
      recordStoreAt({ choice: { kind: 'git', branch: 'ops' }, base: dir, remote: { originOf: dir } }),
    ).rejects.toThrow(
      new UsageError('--record git:ops: the lab folder has no git origin remote; pass --repo GIT-URL or a file path'),
    );
  });

  it('reads a relative file path from the base folder (a missing file is an empty record)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'labops-record-option-'));
    const store = await recordStoreAt({
      choice: { kind: 'file', path: 'rec.json' },
      base: dir,
      remote: { originOf: dir },
    });
    expect(await store?.load()).toMatchObject({ version: expect.any(Number) });
  });
});
