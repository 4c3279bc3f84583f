/** The cost label through Octokit against the GitHub fake: created on demand, replacing labops' previous one, others untouched. */
import { afterEach, describe, expect, it } from 'vitest';
import { costLabelName, isCostLabel, syncCostLabel } from '../../reconciler/src/github/cost-label.js';
import { repoId } from '../../reconciler/src/github/forge.js';
import { createOctokitForge } from '../../reconciler/src/github/octokit-forge.js';
import { startGitHubFake } from '../support/github-fake.js';
import type { FakePull, GitHubFake } from '../support/github-fake.js';

const REPO = 'lab-org/hartley-lab';
let fake: GitHubFake | undefined;
afterEach(async () => fake?.close());

const forge = () => createOctokitForge({ token: 't', baseUrl: fake!.url, retryAfterBaseMs: 1, spaceWrites: false });

function pull(labels: string[]): FakePull {
  return {
    number: 7,
    title: 'resize',
    author: 'alice',
    headSha: 'a'.repeat(40),
    baseSha: 'b'.repeat(40),
    baseRef: 'main',
    files: [],
    reviews: [],
    labels,
  };
}

describe('cost label names', () => {
  it.each([
    { delta: 412.1, name: '+$412/mo' },
    { delta: 1234.5, name: '+$1,235/mo' },
    { delta: -35.2, name: '-$35/mo' },
    { delta: 0.49, name: '$0/mo' },
    { delta: -0.3, name: '$0/mo' },
    { delta: 0, name: '$0/mo' },
  ])('$delta → $name', ({ delta, name }) => {
    expect(costLabelName(delta)).toBe(name);
    expect(isCostLabel(name)).toBe(true);
  });

  it.each(['bug', '$5', '+$0/mo', '+$012/mo', '+$1234/mo', 'cost: +$4/mo', '+$4/month'])(
    '%s is not a cost label',
    (name) => {
      expect(isCostLabel(name)).toBe(false);
    },
  );
});

describe('syncCostLabel', () => {
  it.each([
    {
      name: 'a first label is created in the repository and added',
      labels: ['needs-review'],
      repoLabels: [],
      delta: 412.1,
      after: ['needs-review', '+$412/mo'],
      created: ['+$412/mo'],
      removed: [] as string[],
    },
    {
      name: 'a changed figure replaces the previous cost label, which stays in the repository',
      labels: ['+$412/mo', 'needs-review'],
      repoLabels: ['+$412/mo'],
      delta: -35,
      after: ['needs-review', '-$35/mo'],
      created: ['-$35/mo'],
      removed: ['+$412/mo'],
    },
    {
      name: 'an existing repository label is reused, not created again',
      labels: [],
      repoLabels: ['$0/mo'],
      delta: 0.2,
      after: ['$0/mo'],
      created: [],
      removed: [],
    },
  ])('$name', async ({ labels, repoLabels, delta, after, created, removed }) => {
    fake = await startGitHubFake(REPO, {
      pulls: [pull(labels)],
      labels: repoLabels.map((name) => ({ name, color: 'ededed', description: '' })),
    });

    const outcome = await syncCostLabel(forge(), repoId(REPO), 7, delta);

    expect(fake.state.pulls[0]!.labels).toEqual(after);
    expect(outcome.removed).toEqual(removed);
    expect(
      fake
        .calls('POST', /\/labels$/)
        .filter((c) => !/issues/.test(c.path))
        .map((c) => (c.body as { name: string }).name),
    ).toEqual(created);
    expect(fake.state.labels.map((l) => l.name).sort()).toEqual([...new Set([...repoLabels, ...created])].sort());
  });

  it('changes nothing when the label is already there', async () => {
    fake = await startGitHubFake(REPO, {
      pulls: [pull(['+$412/mo'])],
      labels: [{ name: '+$412/mo', color: 'd93f0b', description: '' }],
    });

    const outcome = await syncCostLabel(forge(), repoId(REPO), 7, 411.6);

    expect(outcome).toEqual({ label: '+$412/mo', action: 'unchanged', removed: [] });
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('gives an increase a red label with labops’ description', async () => {
    fake = await startGitHubFake(REPO, { pulls: [pull([])] });

    await syncCostLabel(forge(), repoId(REPO), 7, 70);

    expect(fake.state.labels).toEqual([
      { name: '+$70/mo', color: 'd93f0b', description: "labops: this pull request's change to the monthly run-rate" },
    ]);
  });
});
