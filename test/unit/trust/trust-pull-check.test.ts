/**
 * Who may change what, checked on real git repositories: the specs at a pull request's base
 * commit against the specs at its head, read from git objects. Each row is a change a lab member
 * might make; the approvals it needs follow from the resources it touches, not its file names.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checkPull } from '../../../reconciler/src/trust/pull-check.js';
import { GitObjects } from '../../../reconciler/src/trust/git-objects.js';
import { makeGitRepo } from '../../support/git-repo.js';
import type { GitRepo } from '../../support/git-repo.js';

const LAB =
  'apiVersion: labops/v1\nkind: Lab\nmetadata: { name: l }\nspec:\n  aws: { accountId: "123456789012", defaultRegion: us-east-1 }\n  admins: [pi]\n  policy: { requireBudget: false }\n';
const ws = (name: string, owner: string, type = 'm6i.large'): string =>
  `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ${name}, owner: ${owner}, project: neuro }\nspec: { environment: base-ubuntu@^1, instanceType: ${type} }\n`;
const BUDGET =
  'apiVersion: labops/v1\nkind: Budget\nmetadata: { name: b }\nspec: { project: neuro, limitUSD: 100, period: { start: 2026-08-24, end: 2026-12-18 } }\n';
const BASE = {
  'lab/labops.yaml': LAB,
  'lab/workstations/alice.yaml': ws('alice-neuro', 'alice'),
  'lab/budgets/b.yaml': BUDGET,
};

const repos: GitRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

interface Row {
  name: string;
  change: Record<string, string | null>;
  author: string;
  approvers?: string[];
  missing: string[];
}

const rows: Row[] = [
  {
    name: 'a new declaration of an existing name needs its owner (name takeover)',
    change: { 'lab/workstations/0-bob.yaml': ws('alice-neuro', 'bob', 'm6i.xlarge') },
    author: 'bob',
    missing: ['workstations/0-bob.yaml (Workstation alice-neuro) needs its owners alice and bob or a Lab admin (pi)'],
  },
  {
    name: 'a second Lab file needs an admin, and the base admins decide',
    change: { 'lab/labops.yml': LAB.replace('admins: [pi]', 'admins: [bob]') },
    author: 'bob',
    missing: [
      'labops.yaml (Lab labops.yaml, unreadable) needs an approval from a Lab admin (pi)',
      'labops.yml (unreadable file labops.yml) needs an approval from a Lab admin (pi)',
    ],
  },
  {
    name: 'moving a spec out of the read folders is its removal (delete by moving)',
    change: { 'lab/workstations/alice.yaml': null, 'lab/workstations/.archive/alice.yaml': ws('alice-neuro', 'alice') },
    author: 'bob',
    missing: ['workstations/alice.yaml (Workstation alice-neuro) needs its owner alice or a Lab admin (pi)'],
  },
  {
    name: 'moving a spec outside spec.paths is its removal',
    change: { 'lab/workstations/alice.yaml': null, 'lab/old/alice.yaml': ws('alice-neuro', 'alice') },
    author: 'bob',
    missing: ['workstations/alice.yaml (Workstation alice-neuro) needs its owner alice or a Lab admin (pi)'],
  },
  {
    name: 'a typo in kind is a change to what the file declared (typo is not deletion)',
    change: {
      'lab/workstations/alice.yaml': ws('alice-neuro', 'alice').replace('kind: Workstation', 'kind: Workstaton'),
    },
    author: 'bob',
    missing: [
      'workstations/alice.yaml (Workstation alice-neuro, unreadable) needs its owner alice or a Lab admin (pi)',
    ],
  },
  {
    name: 'the owner may change her own workstation',
    change: { 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'm6i.xlarge') },
    author: 'alice',
    missing: [],
  },
  {
    name: 'a rename of the file alone changes nothing',
    change: { 'lab/workstations/alice.yaml': null, 'lab/workstations/a/alice-neuro.yaml': ws('alice-neuro', 'alice') },
    author: 'alice',
    missing: [],
  },
  {
    name: 'a moved spec by someone else needs the owner',
    change: { 'lab/workstations/alice.yaml': null, 'lab/workstations/a/alice-neuro.yaml': ws('alice-neuro', 'alice') },
    author: 'bob',
    missing: [
      'workstations/a/alice-neuro.yaml (Workstation alice-neuro, moved) needs its owner alice or a Lab admin (pi)',
    ],
  },
  {
    name: 'an edit hidden in a multi-document file is seen',
    change: {
      'lab/workstations/bob.yaml': `${ws('bob-ws', 'bob')}---\n${ws('alice-neuro', 'alice', 't3.large')}`,
      'lab/workstations/alice.yaml': null,
    },
    author: 'bob',
    missing: ['workstations/bob.yaml (Workstation alice-neuro) needs its owner alice or a Lab admin (pi)'],
  },
  {
    name: 'a budget change needs an admin even when approved by its project’s people',
    change: { 'lab/budgets/b.yaml': BUDGET.replace('100', '5000') },
    author: 'alice',
    approvers: ['bob'],
    missing: ['budgets/b.yaml (Budget b) needs an approval from a Lab admin (pi)'],
  },
  {
    name: 'an admin’s approval covers everything',
    change: {
      'lab/budgets/b.yaml': BUDGET.replace('100', '5000'),
      'lab/workstations/0-bob.yaml': ws('alice-neuro', 'bob'),
    },
    author: 'bob',
    approvers: ['pi'],
    missing: [],
  },
  {
    name: 'an Environment change needs an admin and names the workstations it replaces',
    change: {
      'lab/environments/base.yaml':
        'apiVersion: labops/v1\nkind: Environment\nmetadata: { name: base-ubuntu, version: 1.9.0 }\nspec: { os: ubuntu-24.04, packages: { apt: [htop] } }\n',
    },
    author: 'alice',
    missing: [
      'environments/base.yaml (Environment base-ubuntu@1.9.0) needs an approval from a Lab admin (pi); it would replace workstations of alice',
    ],
  },
];

describe('checkPull (git objects at base and head)', () => {
  it.each(rows)('$name', ({ change, author, approvers = [], missing }) => {
    // Arrange: the base on main, the pull request's head on a branch.
    const repo = makeGitRepo(BASE);
    repos.push(repo);
    const base = repo.head();
    repo.branch('pr');
    const head = repo.commit(change, 'pull request', author);

    // Act
    const check = checkPull({ git: new GitObjects(repo.dir), prefix: 'lab', base, head, holds: [], author, approvers });

    // Assert
    expect(check.missing).toEqual(missing);
    expect(check.admins).toEqual(['pi']);
  });

  it('reads git objects, not the working tree: an uncommitted edit changes nothing', () => {
    const repo = makeGitRepo(BASE);
    repos.push(repo);
    const base = repo.head();
    repo.branch('pr');
    const head = repo.commit(
      { 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'm6i.xlarge') },
      'resize',
      'alice',
    );
    repo.git('checkout', '-q', 'main');

    const check = checkPull({
      git: new GitObjects(repo.dir),
      prefix: 'lab',
      base,
      head,
      holds: [],
      author: 'alice',
      approvers: [],
    });

    expect(check.changes.map((c) => [c.kind, c.name, c.change])).toEqual([['Workstation', 'alice-neuro', 'modified']]);
    expect(check.missing).toEqual([]);
  });

  it('a symlinked spec file is unreadable, never followed', () => {
    const repo = makeGitRepo(BASE);
    repos.push(repo);
    const base = repo.head();
    repo.branch('pr');
    const head = repo.symlink('lab/workstations/secret.yaml', '/etc/hostname');

    const check = checkPull({
      git: new GitObjects(repo.dir),
      prefix: 'lab',
      base,
      head,
      holds: [],
      author: 'bob',
      approvers: [],
    });

    expect(check.missing).toEqual([
      'workstations/secret.yaml (unreadable file workstations/secret.yaml) needs an approval from a Lab admin (pi)',
    ]);
  });
});

describe('a shallow checkout', () => {
  it('without the base commit, and no way to fetch it, fails in one line that says to check out with fetch-depth: 0', () => {
    // Arrange: a one-commit-deep clone of the pull request's head, its origin gone.
    const repo = makeGitRepo(BASE);
    repos.push(repo);
    const base = repo.head();
    const head = repo.commit(
      { 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'm6i.xlarge') },
      'resize',
      'alice',
    );
    const shallow = makeGitRepo({});
    repos.push(shallow);
    shallow.git('fetch', '-q', '--depth=1', `file://${repo.dir}`, 'main');
    shallow.git('checkout', '-q', 'FETCH_HEAD');

    // Act
    const check = (): unknown =>
      checkPull({
        git: new GitObjects(shallow.dir),
        prefix: 'lab',
        base,
        head,
        holds: [],
        author: 'alice',
        approvers: [],
      });

    // Assert
    expect(check).toThrow(
      new RegExp(`commits ${base.slice(0, 12)} are not in the checkout: check out with fetch-depth: 0`),
    );
  });
});
