/** The run record on the labops-status branch: real git repositories in temp folders (a bare "origin" and clones), no network. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyRecord } from '../../reconciler/src/model/record.js';
import type { RunRecord } from '../../reconciler/src/model/record.js';
import { GitRecordError, gitRecordStore } from '../../reconciler/src/record/git-store.js';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=lab', '-c', 'user.email=lab@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

/**
 * A bare origin whose main branch holds a lab file, pushed from an author's clone. The origin
 * refuses any non-fast-forward update (so a force-push would fail loudly) and keeps a reflog of
 * every update of every branch.
 */
function origin(): { bare: string; author: string } {
  root = mkdtempSync(join(tmpdir(), 'labops-record-'));
  const bare = join(root, 'origin.git');
  execFileSync('git', ['init', '--bare', '--initial-branch=main', bare]);
  git(bare, 'config', 'receive.denyNonFastForwards', 'true');
  git(bare, 'config', 'core.logAllRefUpdates', 'always');
  const author = join(root, 'author');
  execFileSync('git', ['clone', bare, author], { stdio: 'ignore' });
  writeFileSync(join(author, 'labops.yaml'), 'kind: Lab\n');
  git(author, 'add', '-A');
  git(author, 'commit', '-m', 'lab');
  git(author, 'push', 'origin', 'main');
  return { bare, author };
}

function withAlert(budget: string, at: string): RunRecord {
  return { ...emptyRecord(), updatedAt: at, alerts: [{ budget, period: '2026-11', percent: 50, basis: 'actual', at }] };
}

/** A workstation's entry in `resources` as record/resources.ts writes it. */
function annAt(observedAt: string): Record<string, unknown> {
  const instance = {
    instanceId: 'i-0123456789abcdef0',
    region: 'us-east-1',
    state: 'running',
    instanceType: 'm6i.large',
    launchTime: observedAt,
    imageId: 'ami-0123456789abcdef0',
    tags: { 'labops:name': 'ann' },
    hibernationConfigured: false,
    attachments: [],
  };
  return {
    observedAt,
    instanceId: instance.instanceId,
    state: 'running',
    region: 'us-east-1',
    instanceType: 'm6i.large',
    costToDateUSD: 0,
    costSince: observedAt,
    instance,
  };
}

/** Every value the branch has had, oldest first, from the origin's reflog. */
function branchHistory(bare: string): string[] {
  return git(bare, 'reflog', 'show', '--format=%H', 'refs/heads/labops-status').split('\n').reverse();
}

describe('git record store', () => {
  it('writes record.json and STATUS.md to an orphan status branch and reads them back from another clone', async () => {
    const { bare } = origin();
    const record = withAlert('neuro-fall', '2026-11-23T15:00:00.000Z');

    await gitRecordStore({ remote: bare, workdir: join(root, 'writer') }).save(record);
    const read = await gitRecordStore({ remote: bare, workdir: join(root, 'reader') }).load();

    expect(read).toEqual(record);
    expect(git(bare, 'ls-tree', '--name-only', 'labops-status').split('\n')).toEqual(['STATUS.md', 'record.json']);
    expect(git(bare, 'rev-list', '--parents', 'labops-status').split(' ')).toHaveLength(1);
    const mainCommits = new Set(git(bare, 'rev-list', 'main').split('\n'));
    expect(
      git(bare, 'rev-list', 'labops-status')
        .split('\n')
        .filter((c) => mainCommits.has(c)),
    ).toEqual([]);
    expect(git(bare, 'show', 'labops-status:STATUS.md')).toContain(
      '| neuro-fall | 2026-11 | 50% | actual | 2026-11-23 15:00 |',
    );
  });

  it('leaves the main branch and the lab clone alone: same commit, clean tree, no new files', async () => {
    const { bare, author } = origin();
    const mainBefore = git(bare, 'rev-parse', 'main');
    const filesBefore = readdirSync(author).sort();

    await gitRecordStore({ remote: bare }).save(withAlert('neuro-fall', '2026-11-23T15:00:00.000Z'));
    git(author, 'fetch', 'origin');

    expect(git(bare, 'rev-parse', 'main')).toBe(mainBefore);
    expect(git(author, 'rev-parse', 'HEAD')).toBe(mainBefore);
    expect(git(author, 'status', '--porcelain')).toBe('');
    expect(readdirSync(author).sort()).toEqual(filesBefore);
    expect(git(bare, 'for-each-ref', '--format=%(refname)', 'refs/heads').split('\n')).toEqual([
      'refs/heads/labops-status',
      'refs/heads/main',
    ]);
  });

  it('works in a temporary clone by default and removes it afterwards', async () => {
    const { bare } = origin();
    const temp = join(root, 'tmp');
    execFileSync('mkdir', [temp]);
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = temp;

    try {
      const store = gitRecordStore({ remote: bare });
      await store.save(withAlert('neuro-fall', '2026-11-23T15:00:00.000Z'));
      const read = await store.load();

      expect(read.alerts.map((a) => a.budget)).toEqual(['neuro-fall']);
      expect(readdirSync(temp)).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
  });

  it('reads an empty record before the branch exists', async () => {
    const { bare } = origin();

    expect(await gitRecordStore({ remote: bare, workdir: join(root, 'reader') }).load()).toEqual(emptyRecord());
  });

  it('fails, rather than reading an empty record, when the remote cannot be reached', async () => {
    origin();
    const store = gitRecordStore({ remote: join(root, 'no-such-origin.git'), workdir: join(root, 'reader') });

    await expect(store.load()).rejects.toThrow();
    await expect(store.save(emptyRecord())).rejects.toThrow();
  });

  it.each([
    [
      'of another version',
      '{"version": 2}\n',
      'invalid run record at /version: unsupported version 2 (this labops reads version 1)',
    ],
    [
      'with a field labops never writes',
      '{"version": 1, "admins": ["mallory"]}\n',
      'invalid run record at /admins: unknown field',
    ],
    [
      'with a job whose id is not a string',
      '{"version": 1, "jobs": [{"name": "x", "specHash": "0123456789abcdef", "rerun": 0, "region": "us-east-1", "jobId": 7, "jobName": "labops-x", "submittedAt": "2026-11-01T00:00:00Z"}]}\n',
      'invalid run record at /jobs/0/jobId: expected string, got a number',
    ],
  ])(
    'refuses a record.json %s, naming the branch and the field, never reading it as empty',
    async (_case, text, message) => {
      const { bare } = origin();
      await gitRecordStore({ remote: bare }).save({ ...emptyRecord(), updatedAt: '2026-11-23T15:00:00.000Z' });
      const clone = join(root, 'meddler');
      execFileSync('git', ['clone', '--branch', 'labops-status', bare, clone], { stdio: 'ignore' });
      writeFileSync(join(clone, 'record.json'), text);
      git(clone, 'commit', '-am', 'forged');
      git(clone, 'push', 'origin', 'labops-status');

      const error = await gitRecordStore({ remote: bare })
        .load()
        .catch((err: unknown) => err);

      expect(error).toBeInstanceOf(GitRecordError);
      expect((error as GitRecordError).code).toBe('invalid-record');
      expect((error as GitRecordError).message).toContain(
        `record.json on the labops-status branch of ${bare}: ${message}`,
      );
    },
  );

  it('commits nothing when the record has not changed', async () => {
    const { bare } = origin();
    const record = withAlert('neuro-fall', '2026-11-23T15:00:00.000Z');
    await gitRecordStore({ remote: bare }).save(record);
    const tip = git(bare, 'rev-parse', 'labops-status');

    await gitRecordStore({ remote: bare }).save(record);

    expect(git(bare, 'rev-parse', 'labops-status')).toBe(tip);
  });

  it('lets concurrent writers all land: each loser of the push race merges on top; fast-forwards only, linear history', async () => {
    const { bare } = origin();
    let retries = 0;
    const sleep = (ms: number): Promise<void> => ((retries += 1), new Promise((resolve) => setTimeout(resolve, ms)));
    const writers = ['a', 'b', 'c', 'd'].map((name) =>
      gitRecordStore({ remote: bare, workdir: join(root, name), attempts: 10, sleep }),
    );

    await Promise.all(writers.map((w, i) => w.save(withAlert(`first-${i}`, `2026-11-23T15:0${i}:00.000Z`))));
    await Promise.all(writers.map((w, i) => w.save(withAlert(`second-${i}`, `2026-11-23T16:0${i}:00.000Z`))));

    const final = JSON.parse(git(bare, 'show', 'labops-status:record.json')) as RunRecord;
    expect(final.alerts.map((x) => x.budget).sort()).toEqual([
      'first-0',
      'first-1',
      'first-2',
      'first-3',
      'second-0',
      'second-1',
      'second-2',
      'second-3',
    ]);
    expect(retries).toBeGreaterThan(0);
    const history = git(bare, 'rev-list', '--parents', 'labops-status')
      .split('\n')
      .map((line) => line.split(' '));
    expect(history.every((commit) => commit.length <= 2)).toBe(true);
    expect(history.filter((commit) => commit.length === 1)).toHaveLength(1);
    const updates = branchHistory(bare);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < updates.length; i++)
      expect(git(bare, 'rev-list', '--count', `${updates[i]}..${updates[i - 1]}`)).toBe('0');
  }, 90_000);

  it('does not bring back a workstation one writer saw destroyed when the other writer recorded it earlier', async () => {
    const { bare } = origin();
    const alive: RunRecord = {
      ...emptyRecord(),
      updatedAt: '2026-11-23T15:00:00.000Z',
      resources: { 'Workstation/ann': annAt('2026-11-23T15:00:00.000Z') },
      listedAt: { Workstation: '2026-11-23T15:00:00.000Z' },
    };
    await gitRecordStore({ remote: bare }).save(alive);
    const store = gitRecordStore({ remote: bare });
    const loaded = await store.load();

    await store.save({
      ...loaded,
      updatedAt: '2026-11-23T16:00:00.000Z',
      resources: {},
      listedAt: { Workstation: '2026-11-23T16:00:00.000Z' },
    });

    const final = JSON.parse(git(bare, 'show', 'labops-status:record.json')) as RunRecord;
    expect(final.resources).toEqual({});
  });

  it('gives up with push-contended when the branch keeps moving under it, never forcing', async () => {
    const { bare } = origin();
    await gitRecordStore({ remote: bare }).save(withAlert('start', '2026-11-23T14:00:00.000Z'));
    const other = join(root, 'other');
    execFileSync('git', ['clone', '-q', '--branch', 'labops-status', bare, other]);
    const store = gitRecordStore({ remote: bare, workdir: join(root, 'slow'), attempts: 3, sleep: async () => {} });
    await store.load();
    // Between this writer's fetch and its push, another writer always lands first.
    writeFileSync(
      join(root, 'slow', '.git', 'hooks', 'pre-push'),
      `#!/bin/sh\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\ncd "${other}" && git -c user.name=x -c user.email=x@example.org commit -q --allow-empty -m race && git push -q origin HEAD:labops-status\n`,
      { mode: 0o755 },
    );
    const before = Number(git(bare, 'rev-list', '--count', 'labops-status'));

    const error = await store.save(withAlert('mine', '2026-11-23T15:00:00.000Z')).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(GitRecordError);
    expect((error as GitRecordError).code).toBe('push-contended');
    expect(Number(git(bare, 'rev-list', '--count', 'labops-status'))).toBe(before + 3);
    expect(
      (JSON.parse(git(bare, 'show', 'labops-status:record.json')) as RunRecord).alerts.map((a) => a.budget),
    ).toEqual(['start']);
  });
});
