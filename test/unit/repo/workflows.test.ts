/** The example workflows: least privilege, serialised without cancelling, untrusted values through env only, actions pinned by commit. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../../reconciler/src/package-root.js';

const dir = join(packageRoot(), 'examples/workflows');
const load = (name: string): Record<string, any> => parse(readFileSync(join(dir, name), 'utf8')) as Record<string, any>;

/** Every file a lab copies workflow steps from: the example workflows, the deploy examples, README and docs. */
const SNIPPET_FILES = [
  ...readdirSync(dir).map((f) => `examples/workflows/${f}`),
  ...readdirSync(join(packageRoot(), 'examples/deploy')).map((f) => `examples/deploy/${f}`),
  'README.md',
  ...readdirSync(join(packageRoot(), 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/**
 * A `uses:` is pinned when it names a full 40-hex commit with its release in a comment. Exempt: a
 * local action (`./…`), and labops itself (`lab-org/labops@…`), the action these examples are
 * for — its release is the reader's to choose and pin, and the examples say so.
 */
function unpinned(line: string): boolean {
  const m = /\buses:\s*['"]?([^\s'"#]+)['"]?\s*(#.*)?$/.exec(line);
  if (!m) return false;
  const [, ref = '', comment = ''] = m;
  if (ref.startsWith('./') || ref.startsWith('lab-org/labops@')) return false;
  return !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref) || !/^#\s*v\d+\.\d+\.\d+\b/.test(comment);
}

describe('examples/workflows', () => {
  it.each([
    [
      'pull-request.yml',
      { contents: 'read', 'pull-requests': 'write', issues: 'write', 'id-token': 'write', checks: 'write' },
    ],
    ['push.yml', { contents: 'write', 'pull-requests': 'write', issues: 'write', 'id-token': 'write' }],
    ['schedule.yml', { contents: 'write', issues: 'write', 'id-token': 'write' }],
  ])(
    '%s: explicit permissions, concurrency without cancel-in-progress, OIDC role, the labops step',
    (name, permissions) => {
      const wf = load(name);

      expect(wf.permissions).toEqual(permissions);
      expect(wf.concurrency['cancel-in-progress']).toBe(false);
      const steps = Object.values(wf.jobs as Record<string, { steps: Record<string, any>[] }>).flatMap((j) => j.steps);
      expect(
        steps.find((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials@'))?.with['role-to-assume'],
      ).toMatch(/^arn:aws:iam::\d{12}:role\//);
      expect(steps.some((s) => String(s.uses).includes('labops@'))).toBe(true);
      for (const step of steps) if (typeof step.run === 'string') expect(step.run).not.toMatch(/\$\{\{/);
    },
  );

  it.each(['pull-request.yml', 'push.yml', 'schedule.yml'])(
    '%s: checks out the whole history (labops reads the base and every commit since the last apply from git)',
    (name) => {
      const steps = Object.values(load(name).jobs as Record<string, { steps: Record<string, any>[] }>).flatMap(
        (job) => job.steps,
      );

      const checkout = steps.find((step) => String(step.uses).startsWith('actions/checkout@'));

      expect(checkout?.with?.['fetch-depth']).toBe(0);
    },
  );

  it('gives a fork no AWS credentials', () => {
    const steps = load('pull-request.yml').jobs.plan.steps as Record<string, any>[];

    expect(steps.find((s) => String(s.uses).startsWith('aws-actions/'))?.if).toBe(
      'github.event.pull_request.head.repo.full_name == github.repository',
    );
  });

  it('pin every action by full commit SHA with its version in a comment (README, docs and deploy examples too)', () => {
    const found = SNIPPET_FILES.flatMap((file) =>
      readFileSync(join(packageRoot(), file), 'utf8')
        .split('\n')
        .map((line, i) => ({ file, line: i + 1, text: line.trim() })),
    );

    const bad = found.filter((l) => unpinned(l.text)).map((l) => `${l.file}:${l.line}: ${l.text}`);

    expect(found.filter((l) => /\buses:/.test(l.text)).length).toBeGreaterThan(0);
    expect(bad).toEqual([]);
  });

  it.each([
    ['uses: actions/checkout@v4', true],
    ['uses: actions/checkout@main', true],
    ['uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262', true],
    ['uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0', false],
    ['- uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3', false],
    ['uses: docker://alpine:3.20', true],
    ['uses: ./.github/actions/local', false],
    ['uses: lab-org/labops@v1   # pin: lab-org/labops@<commit sha of the release> # v1.x.y', false],
  ])('unpinned(%j) is %s', (line, expected) => {
    expect(unpinned(line)).toBe(expected);
  });
});
