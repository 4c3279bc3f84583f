/**
 * A budget's stop must not be escapable without an admin (issue 17): a `budgetExempt: true`
 * SnapshotSchedule keeps snapshotting — spending — through a budget stop, so only a Lab admin may
 * make a schedule exempt, and only an admin may bring a workstation into an exempt schedule. A
 * workstation's owner may otherwise change it alone; here, new labels, a new project or a new
 * workstation that an exempt schedule's selector picks up need an admin. Checked as a pull request
 * is, on real git repositories (the specs at its base commit against its head).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checkPull } from '../../reconciler/src/trust/pull-check.js';
import { GitObjects } from '../../reconciler/src/trust/git-objects.js';
import { makeGitRepo } from '../support/git-repo.js';
import type { GitRepo } from '../support/git-repo.js';

const LAB =
  'apiVersion: labops/v1\nkind: Lab\nmetadata: { name: l }\nspec:\n  aws: { accountId: "123456789012", defaultRegion: us-east-1 }\n  admins: [pi]\n  policy: { requireBudget: false }\n';
const ws = (name: string, owner: string, meta = 'project: neuro', type = 'm6i.large'): string =>
  `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ${name}, owner: ${owner}, ${meta} }\nspec: { environment: base-ubuntu@^1, instanceType: ${type} }\n`;
const schedule = (name: string, selector: string, exempt: boolean): string =>
  `apiVersion: labops/v1\nkind: SnapshotSchedule\nmetadata: { name: ${name} }\nspec:\n  selector: ${selector}\n  cron: "0 2 * * *"\n  retain: { count: 3 }\n${exempt ? '  budgetExempt: true\n' : ''}`;

const ADMIN = '(pi)';

interface Row {
  name: string;
  base: Record<string, string>;
  change: Record<string, string | null>;
  author: string;
  approvers?: string[];
  missing: string[];
}

const ALICE = { 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice') };
const rows: Row[] = [
  {
    name: 'the owner makes the schedule of her workstation budgetExempt: an admin’s',
    base: { ...ALICE, 'lab/snapshots/nightly.yaml': schedule('nightly', '{ workstations: [alice-neuro] }', false) },
    change: { 'lab/snapshots/nightly.yaml': schedule('nightly', '{ workstations: [alice-neuro] }', true) },
    author: 'alice',
    missing: [`snapshots/nightly.yaml (SnapshotSchedule nightly) needs an approval from a Lab admin ${ADMIN}`],
  },
  {
    name: 'the owner labels her workstation into an exempt schedule: an admin’s',
    base: { ...ALICE, 'lab/snapshots/critical.yaml': schedule('critical', '{ labels: { backup: critical } }', true) },
    change: {
      'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'project: neuro, labels: { backup: critical }'),
    },
    author: 'alice',
    missing: [
      `workstations/alice.yaml (Workstation alice-neuro) needs an approval from a Lab admin ${ADMIN}; it would join the budgetExempt snapshot schedule critical, which keeps snapshotting through a budget stop`,
    ],
  },
  {
    name: 'the owner moves her workstation to the project an exempt schedule selects: an admin’s',
    base: { ...ALICE, 'lab/snapshots/critical.yaml': schedule('critical', '{ project: vault }', true) },
    change: { 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'project: vault') },
    author: 'alice',
    missing: [
      `workstations/alice.yaml (Workstation alice-neuro) needs an approval from a Lab admin ${ADMIN}; it would join the budgetExempt snapshot schedule critical, which keeps snapshotting through a budget stop`,
    ],
  },
  {
    name: 'a new workstation an exempt project schedule picks up: an admin’s',
    base: { ...ALICE, 'lab/snapshots/critical.yaml': schedule('critical', '{ project: neuro }', true) },
    change: { 'lab/workstations/bob.yaml': ws('bob-neuro', 'bob') },
    author: 'bob',
    missing: [
      `workstations/bob.yaml (Workstation bob-neuro) needs an approval from a Lab admin ${ADMIN}; it would join the budgetExempt snapshot schedule critical, which keeps snapshotting through a budget stop`,
    ],
  },
  {
    name: 'an admin’s approval lets the workstation join',
    base: { ...ALICE, 'lab/snapshots/critical.yaml': schedule('critical', '{ labels: { backup: critical } }', true) },
    change: {
      'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'project: neuro, labels: { backup: critical }'),
    },
    author: 'alice',
    approvers: ['pi'],
    missing: [],
  },
  {
    name: 'labels that join a schedule that is not exempt: the owner’s alone',
    base: { ...ALICE, 'lab/snapshots/nightly.yaml': schedule('nightly', '{ labels: { backup: critical } }', false) },
    change: {
      'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'project: neuro, labels: { backup: critical }'),
    },
    author: 'alice',
    missing: [],
  },
  {
    name: 'a workstation already in an exempt schedule resized by its owner: the owner’s alone',
    base: { ...ALICE, 'lab/snapshots/critical.yaml': schedule('critical', '{ workstations: [alice-neuro] }', true) },
    change: { 'lab/workstations/alice.yaml': ws('alice-neuro', 'alice', 'project: neuro', 'm6i.xlarge') },
    author: 'alice',
    missing: [],
  },
];

const repos: GitRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

describe('budgetExempt needs an admin (issue 17)', () => {
  it.each(rows)('$name', ({ base: files, change, author, approvers = [], missing }) => {
    // Arrange: the base on main, the pull request's head on a branch.
    const repo = makeGitRepo({ 'lab/labops.yaml': LAB, ...files });
    repos.push(repo);
    const base = repo.head();
    repo.branch('pr');
    const head = repo.commit(change, 'pull request', author);

    // Act
    const check = checkPull({ git: new GitObjects(repo.dir), prefix: 'lab', base, head, holds: [], author, approvers });

    // Assert
    expect(check.missing).toEqual(missing);
  });
});
