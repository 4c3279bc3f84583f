/** The example workflows: least privilege, serialised without cancelling, untrusted values through env only. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../reconciler/src/package-root.js';

const dir = join(packageRoot(), 'examples/workflows');
const load = (name: string): Record<string, any> => parse(readFileSync(join(dir, name), 'utf8')) as Record<string, any>;

describe('examples/workflows', () => {
  it.each([
    ['pull-request.yml', { contents: 'read', 'pull-requests': 'write', issues: 'write', 'id-token': 'write', checks: 'write' }],
    ['push.yml', { contents: 'write', 'pull-requests': 'write', issues: 'write', 'id-token': 'write' }],
    ['schedule.yml', { contents: 'write', issues: 'write', 'id-token': 'write' }],
  ])('%s: explicit permissions, concurrency without cancel-in-progress, OIDC role, the labops step', (name, permissions) => {
    const wf = load(name);

    expect(wf.permissions).toEqual(permissions);
    expect(wf.concurrency['cancel-in-progress']).toBe(false);
    const steps = Object.values(wf.jobs as Record<string, { steps: Record<string, any>[] }>).flatMap((j) => j.steps);
    expect(steps.find((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials@'))?.with['role-to-assume']).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(steps.some((s) => String(s.uses).includes('labops@'))).toBe(true);
    for (const step of steps) if (typeof step.run === 'string') expect(step.run).not.toMatch(/\$\{\{/);
  });

  it('gives a fork no AWS credentials', () => {
    const steps = (load('pull-request.yml').jobs.plan.steps as Record<string, any>[]);

    expect(steps.find((s) => String(s.uses).startsWith('aws-actions/'))?.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
  });
});
