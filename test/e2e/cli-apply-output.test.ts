/**
 * Output a person can follow, through the built CLI against `labops sim` (issue 16 item 5): apply
 * prints the plan first, then one line as each action starts and ends (ISO timestamps off a
 * terminal); the lease wait is announced with who holds it and until when; `--quiet` prints only
 * changes and errors; `--target NAME` applies one resource's actions with a partial-plan warning;
 * `plan --out FILE` / `apply FILE` applies a reviewed plan and refuses a stale one in one line.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { LAB_YAML, workstationYaml } from '../integration/run-harness.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const bin = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
const ISO_LINE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z /;
let sim: TestSim | undefined;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  sim = await startTestSim({ start: '2026-09-01T14:00:00Z', clock: { speed: 600 } });
});
afterAll(async () => {
  await sim?.close();
  cleanups.forEach((c) => c());
});

/** The built CLI, spawned without blocking (the simulator answers from this process); stdout is a pipe, not a terminal. */
async function labops(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [bin, ...args, '--repo', `lab-org/${basename(cwd)}`],
      {
        cwd,
        env: { ...process.env, ...sim?.env(), NO_COLOR: '1', LABOPS_DEBUG: '' },
      },
    );
    return { status: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A lab with workstations `names`; each lab is its own repository identity (its folder's name), so tests do not see each other's instances. */
function lab(...names: string[]): string {
  const made = makeLab(
    {
      'labops.yaml': LAB_YAML.replace('PRUNE', 'false'),
      ...Object.fromEntries(names.map((n) => [`workstations/${n}.yaml`, workstationYaml(n)])),
    },
    null,
  );
  cleanups.push(made.cleanup);
  return made.dir;
}

describe('apply output (built CLI, stdout not a terminal)', { timeout: 120_000 }, () => {
  it('prints the plan first, then a timestamped line as each action starts and ends, then the summary', async () => {
    // Arrange
    const dir = lab('out-ann', 'out-ben');

    // Act
    const result = await labops(['apply', '.'], dir);

    // Assert
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    const planAt = lines.findIndex((l) => /2 to create, 0 to destroy/.test(l));
    const starts = lines.flatMap((l, i) => (/→ start/.test(l) ? [i] : []));
    const ends = lines.flatMap((l, i) => (/✓ done/.test(l) ? [i] : []));
    const summaryAt = lines.findIndex((l) => l.startsWith('Apply: 2 done'));
    expect(starts).toHaveLength(2);
    expect(ends.filter((i) => ISO_LINE.test(lines[i] ?? ''))).toHaveLength(2);
    expect(starts.every((i) => ISO_LINE.test(lines[i] ?? ''))).toBe(true);
    expect(planAt).toBeGreaterThanOrEqual(0);
    expect(planAt).toBeLessThan(Math.min(...starts));
    expect(Math.max(...ends)).toBeLessThan(summaryAt);
    expect(lines[starts[0] ?? 0]).toMatch(/→ start Workstation\/out-(ann|ben)\/create$/);
  });

  it('--quiet prints only the changes: no plan table, no start lines, no budgets; nothing at all when nothing changes', async () => {
    // Arrange
    const dir = lab('out-cat');

    // Act
    const first = await labops(['apply', '.', '--quiet'], dir);
    const second = await labops(['apply', '.', '--quiet'], dir);

    // Assert
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/✓ done {2}Workstation\/out-cat\/create/);
    expect(first.stdout).not.toMatch(/→ start|Budgets|labops apply — /);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toBe('');
  });

  it('--target NAME applies only that resource and warns that the plan is partial', async () => {
    // Arrange
    const dir = lab('out-dan', 'out-eve');

    // Act
    const targeted = await labops(['apply', '.', '--target', 'out-dan'], dir);
    const after = await labops(['plan', '.', '--format', 'json'], dir);

    // Assert
    expect(targeted.status, targeted.stderr).toBe(0);
    expect(targeted.stdout).toContain(
      'warning: partial plan: only out-dan and what it waits for (--target); 1 other action(s) left out',
    );
    expect(targeted.stdout).toMatch(/✓ done {2}Workstation\/out-dan\/create/);
    expect(targeted.stdout).not.toContain('out-eve');
    const plan = (JSON.parse(after.stdout) as { plan: { actions: { id: string }[] } }).plan;
    expect(plan.actions.map((a) => a.id)).toEqual(['Workstation/out-eve/create']);
  });

  it('plan --out FILE then apply FILE applies the reviewed plan; the same FILE again is refused as stale in one line', async () => {
    // Arrange
    const dir = lab('out-fay');
    const file = join(dir, 'reviewed.plan.json');
    const saved = await labops(['plan', '.', '--out', file], dir);

    // Act
    const applied = await labops(['apply', file, '.'], dir);
    const again = await labops(['apply', file, '.'], dir);

    // Assert
    expect(saved.status, saved.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      labopsSavedPlan: 1,
      repo: `lab-org/${basename(dir)}`,
      target: null,
      actions: [{ id: 'Workstation/out-fay/create', kind: 'create', resource: 'Workstation/out-fay' }],
    });
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/✓ done {2}Workstation\/out-fay\/create/);
    expect(again.status).toBe(1);
    expect(again.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^labops apply: .*reviewed\.plan\.json is stale: AWS changed since it was saved at .*; nothing was changed — run labops plan --out .* again and review it$/,
    );
  });

  it('a lease wait is announced with who holds the lease and until when', async () => {
    // Arrange: another run holds the lease beside the lab's run record for the next ten minutes.
    const dir = lab('out-gus');
    const now = Date.now();
    mkdirSync(join(dir, '.labops'), { recursive: true });
    const until = new Date(now + 600_000).toISOString();
    writeFileSync(
      join(dir, '.labops', 'record.json.lease'),
      JSON.stringify({
        holder: 'ci-runner-7',
        kind: 'reconcile',
        host: `${hostname()}-elsewhere`,
        pid: 4242,
        acquiredAt: new Date(now).toISOString(),
        renewedAt: new Date(now).toISOString(),
        expiresAt: until,
      }),
    );

    // Act
    const result = await labops(['apply', '.', '--lease-wait', '2s'], dir);

    // Assert
    expect(result.status).toBe(1);
    const [waiting] = result.stderr.split('\n').filter((l) => l.includes('waiting up to'));
    expect(waiting).toMatch(ISO_LINE);
    expect(waiting).toContain('labops apply: waiting up to 2s for the lease on');
    expect(waiting).toContain(
      `held by ci-runner-7 (reconcile on ${hostname()}-elsewhere, since ${new Date(now).toISOString()}) until ${until}`,
    );
  });
});
