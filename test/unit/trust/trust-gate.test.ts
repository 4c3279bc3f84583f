/**
 * The gate of runs that change AWS, on real git repositories: every commit since the last applied
 * one is checked against the approvals of the pull request that brought it, and what lacks them
 * is held at its last approved blob — whichever run (push, schedule, container) comes next.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { gate } from '../../../reconciler/src/trust/gate.js';
import type { CommitVouchers } from '../../../reconciler/src/trust/gate.js';
import { GitObjects } from '../../../reconciler/src/trust/git-objects.js';
import { loadLabFiles } from '../../../reconciler/src/specs/lab-files.js';
import type { ActiveHold } from '../../../reconciler/src/record/holds.js';
import { makeGitRepo } from '../../support/git-repo.js';
import type { GitRepo } from '../../support/git-repo.js';

const LAB =
  'apiVersion: labops/v1\nkind: Lab\nmetadata: { name: l }\nspec:\n  aws: { accountId: "123456789012", defaultRegion: us-east-1 }\n  admins: [pi]\n  policy: { requireBudget: false }\n';
const ws = (name: string, owner: string, type = 'm6i.large'): string =>
  `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ${name}, owner: ${owner}, project: neuro }\nspec: { environment: base-ubuntu@^1, instanceType: ${type} }\n`;

const repos: GitRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

function lab(): GitRepo {
  const repo = makeGitRepo({ 'lab/labops.yaml': LAB, 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice') });
  repos.push(repo);
  return repo;
}

/** Instance types the gated tree declares, by workstation name. */
function types(tree: ReturnType<typeof loadLabFiles> extends infer T ? T : never): Record<string, string> {
  return Object.fromEntries(
    tree.documents
      .filter((d) => d.kind === 'Workstation')
      .map((d) => [d.name!, (d.value as { spec: { instanceType: string } }).spec.instanceType]),
  );
}

function vouchersOf(map: Record<string, CommitVouchers>): (commit: string) => Promise<CommitVouchers | undefined> {
  return (commit) => Promise.resolve(map[commit]);
}

describe('gate', () => {
  it('applies an approved merge and holds an unapproved one that no run saw (a [skip ci] merge), from the last applied commit', async () => {
    // Arrange: applied at `start`; bob's unapproved resize of alice's workstation merged without a run; then alice's approved new workstation.
    const repo = lab();
    const start = repo.head();
    const sneaky = repo.commit(
      { 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'm6i.4xlarge') },
      'resize [skip ci]',
      'bob',
    );
    const fine = repo.commit({ 'lab/workstations/alice2.yaml': ws('alice-two', 'alice') }, 'add', 'alice');

    // Act
    const result = await gate({
      git: new GitObjects(repo.dir),
      prefix: 'lab',
      head: fine,
      applied: start,
      holds: [],
      vouchers: vouchersOf({
        [sneaky]: { author: 'bob', approvers: [], pull: 7 },
        [fine]: { author: 'alice', approvers: [], pull: 8 },
      }),
    });

    // Assert
    expect(result.commits).toEqual([sneaky, fine]);
    expect(types(loadLabFiles(result.tree))).toEqual({ 'alice-neuro': 'm6i.large', 'alice-two': 'm6i.large' });
    expect(result.missing).toEqual([
      'workstations/alice.yaml (Workstation alice-neuro) needs its owner alice or a Lab admin (pi) (pull request #7)',
    ]);
    expect(result.holdChanges.hold).toEqual([
      expect.objectContaining({
        file: 'workstations/alice.yaml',
        commit: start,
        sha: sneaky,
        blob: expect.stringMatching(/^[0-9a-f]{40}$/),
      }),
    ]);
  });

  it('holds a change pushed with no pull request, and an admin-only change approved by the wrong people', async () => {
    const repo = lab();
    const start = repo.head();
    repo.commit({ 'lab/workstations/bob.yaml': ws('bob-ws', 'bob') }, 'direct push', 'bob');
    const admins = repo.commit(
      { 'lab/labops.yaml': LAB.replace('admins: [pi]', 'admins: [pi, bob]') },
      'make me admin',
      'bob',
    );

    const result = await gate({
      git: new GitObjects(repo.dir),
      prefix: 'lab',
      head: admins,
      applied: start,
      holds: [],
      vouchers: vouchersOf({ [admins]: { author: 'bob', approvers: ['alice'], pull: 9 } }),
    });

    expect(result.missing).toEqual([
      'workstations/bob.yaml (Workstation bob-ws) needs its owner bob or a Lab admin (pi) (no approving pull request)',
      'labops.yaml (Lab labops.yaml) needs an approval from a Lab admin (pi) (pull request #9)',
    ]);
    expect(types(loadLabFiles(result.tree))).toEqual({ 'alice-neuro': 'm6i.large' });
    expect(result.admins).toEqual(['pi']);
  });

  it('measures a later change to a held file from its approved version: an approval of the later edit alone does not release it; the owner’s does', async () => {
    const repo = lab();
    const start = repo.head();
    const sneaky = repo.commit(
      { 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'm6i.4xlarge') },
      'resize',
      'bob',
    );
    const first = await gate({
      git: new GitObjects(repo.dir),
      prefix: 'lab',
      head: sneaky,
      applied: start,
      holds: [],
      vouchers: vouchersOf({}),
    });
    const holds: ActiveHold[] = first.holdChanges.hold!.map((h) => ({
      ...h,
      since: '2026-09-01T00:00:00.000Z',
      updatedAt: '2026-09-01T00:00:00.000Z',
    }));
    const comment = repo.commit(
      {
        'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'm6i.4xlarge').replace(
          'project: neuro }',
          'project: neuro, labels: { study: fmri } }',
        ),
      },
      'label',
      'carol',
    );

    const byCarol = await gate({
      git: new GitObjects(repo.dir),
      prefix: 'lab',
      head: comment,
      applied: sneaky,
      holds,
      vouchers: vouchersOf({ [comment]: { author: 'carol', approvers: [], pull: 10 } }),
    });
    const byAlice = await gate({
      git: new GitObjects(repo.dir),
      prefix: 'lab',
      head: comment,
      applied: sneaky,
      holds,
      vouchers: vouchersOf({ [comment]: { author: 'carol', approvers: ['alice'], pull: 10 } }),
    });

    expect(types(loadLabFiles(byCarol.tree))).toEqual({ 'alice-neuro': 'm6i.large' });
    expect(byCarol.holdChanges.hold?.map((h) => [h.file, h.commit])).toEqual([['workstations/alice.yaml', start]]);
    expect(types(loadLabFiles(byAlice.tree))).toEqual({ 'alice-neuro': 'm6i.4xlarge' });
    expect(byAlice.holdChanges).toMatchObject({ hold: [], release: ['workstations/alice.yaml'] });
  });

  it('releases a held file when it is reverted to its approved version', async () => {
    const repo = lab();
    const start = repo.head();
    const sneaky = repo.commit(
      { 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'm6i.4xlarge') },
      'resize',
      'bob',
    );
    const first = await gate({
      git: new GitObjects(repo.dir),
      prefix: 'lab',
      head: sneaky,
      applied: start,
      holds: [],
      vouchers: vouchersOf({}),
    });
    const holds: ActiveHold[] = first.holdChanges.hold!.map((h) => ({ ...h, since: 'x', updatedAt: 'x' }));
    const revert = repo.commit({ 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice') }, 'revert', 'bob');

    const result = await gate({
      git: new GitObjects(repo.dir),
      prefix: 'lab',
      head: revert,
      applied: sneaky,
      holds,
      vouchers: vouchersOf({}),
    });

    expect(result.missing).toEqual([]);
    expect(result.holdChanges).toMatchObject({ hold: [], release: ['workstations/alice.yaml'] });
  });

  it('ignores what git does not confirm: a forged hold blob, an applied commit not in the history (a force-push) — and checks from the fallback', async () => {
    const repo = lab();
    const start = repo.head();
    repo.branch('elsewhere');
    const stray = repo.commit({ 'lab/x.txt': 'x' }, 'stray');
    repo.checkout('main');
    const sneaky = repo.commit(
      { 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'm6i.4xlarge') },
      'resize',
      'bob',
    );
    const forged: ActiveHold = {
      file: 'workstations/alice.yaml',
      commit: start,
      blob: 'f'.repeat(40),
      sha: start,
      since: 'x',
      updatedAt: 'x',
      reasons: [],
    };

    const result = await gate({
      git: new GitObjects(repo.dir),
      prefix: 'lab',
      head: sneaky,
      applied: stray,
      fallback: start,
      holds: [forged],
      vouchers: vouchersOf({}),
    });

    expect(result.base).toBe(start);
    expect(result.ignored).toEqual([
      `the run record's last applied commit ${stray.slice(0, 12)} is not in the history of ${sneaky.slice(0, 12)}: ignored`,
      `the run record's hold on workstations/alice.yaml is ignored: ${'f'.repeat(40)} is not what workstations/alice.yaml holds at ${start.slice(0, 12)}`,
    ]);
    expect(types(loadLabFiles(result.tree))).toEqual({ 'alice-neuro': 'm6i.large' });
  });

  it('keeps the last valid version of a file that became unreadable, even when its owner approved the break', async () => {
    const repo = lab();
    const start = repo.head();
    const typo = repo.commit(
      { 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice').replace('kind: Workstation', 'kind: Workstaton') },
      'typo',
      'alice',
    );

    const result = await gate({
      git: new GitObjects(repo.dir),
      prefix: 'lab',
      head: typo,
      applied: start,
      holds: [],
      vouchers: vouchersOf({ [typo]: { author: 'alice', approvers: [], pull: 3 } }),
    });

    expect(types(loadLabFiles(result.tree))).toEqual({ 'alice-neuro': 'm6i.large' });
    expect(result.missing).toEqual([
      `workstations/alice.yaml cannot be read at ${typo.slice(0, 12)}: its last valid version is used until it is fixed`,
    ]);
  });

  it('with no applied commit recorded, starts where the lab began', async () => {
    const repo = makeGitRepo({ 'README.md': 'hi' });
    repos.push(repo);
    const created = repo.commit(
      { 'lab/labops.yaml': LAB, 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice') },
      'lab',
      'pi',
    );
    const sneaky = repo.commit(
      { 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'm6i.4xlarge') },
      'resize',
      'bob',
    );

    const result = await gate({
      git: new GitObjects(repo.dir),
      prefix: 'lab',
      head: sneaky,
      holds: [],
      vouchers: vouchersOf({}),
    });

    expect(result.base).toBe(created);
    expect(types(loadLabFiles(result.tree))).toEqual({ 'alice-neuro': 'm6i.large' });
  });
});
