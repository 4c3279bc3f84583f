/**
 * Hostile input at scale, through the built CLI in a child process (its own time and peak memory):
 * 10,000 spec files validate in bounded time and memory, and 100,000 validation errors are all
 * reported in JSON while text and GitHub output stay a readable size. Bounds are about three times
 * what this machine measures (printed), so a regression of kind — quadratic work, unbounded
 * output — fails, and a slower machine does not.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';

const CLI = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
/** Preloaded into the child: its peak resident memory, on stderr, as it exits. */
const REPORT_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nmaxrss-kib='+process.resourceUsage().maxRSS+'\\n'))`;

interface Measured {
  code: number | null;
  stdout: string;
  seconds: number;
  peakMiB: number;
}

async function validate(dir: string, format: string): Promise<Measured> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', REPORT_RSS, CLI, 'validate', dir, '--format', format], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const kib = Number(/maxrss-kib=(\d+)/.exec(err)?.[1] ?? NaN);
  return {
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    seconds: (performance.now() - started) / 1000,
    peakMiB: kib / 1024,
  };
}

function writeLab(dir: string, count: number, errorsEach: number): void {
  mkdirSync(join(dir, 'workstations'), { recursive: true });
  writeFileSync(
    join(dir, 'labops.yaml'),
    'apiVersion: labops/v1\nkind: Lab\nmetadata: { name: scale }\nspec:\n  aws: { accountId: "111122223333", defaultRegion: us-west-2 }\n  policy: { maxWorkstationsPerOwner: 1000, requireBudget: false }\n',
  );
  const bogus = Array.from({ length: errorsEach }, (_, j) => `  bogus${j}: "données ${j} 🧪"\n`).join('');
  for (let i = 0; i < count; i++) {
    writeFileSync(
      join(dir, 'workstations', `w${i}.yaml`),
      `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: w${i}, owner: user${i % 500}, project: p${i % 10} }\nspec:\n  environment: base-ubuntu@^1\n  instanceType: m6i.large\n${bogus}`,
    );
  }
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'labops-scale-'));
  writeLab(join(root, 'valid'), 10_000, 0);
  writeLab(join(root, 'errors'), 10_000, 10);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('validate at scale (built CLI, child process)', { timeout: 180_000 }, () => {
  it('validates 10,000 spec files in bounded time and memory', async () => {
    const run = await validate(join(root, 'valid'), 'json');

    console.log(`10,000 valid specs: ${run.seconds.toFixed(1)} s, peak ${run.peakMiB.toFixed(0)} MiB`);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ valid: true, errors: 0 });
    expect(run.seconds).toBeLessThan(40);
    expect(run.peakMiB).toBeLessThan(800);
  });

  it('reports 100,000 errors: all of them in JSON, a readable head in text and GitHub output, in bounded time and memory', async () => {
    const json = await validate(join(root, 'errors'), 'json');
    const text = await validate(join(root, 'errors'), 'text');
    const github = await validate(join(root, 'errors'), 'github');

    console.log(
      `100,000 errors: json ${json.seconds.toFixed(1)} s / ${json.peakMiB.toFixed(0)} MiB / ${(json.stdout.length / 1e6).toFixed(1)} MB; text ${text.seconds.toFixed(1)} s / ${(text.stdout.length / 1e3).toFixed(0)} KB; github ${(github.stdout.length / 1e3).toFixed(1)} KB`,
    );
    expect([json.code, text.code, github.code]).toEqual([1, 1, 1]);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, errors: 100_000 });
    expect(text.stdout).toContain('… and 99000 errors not shown (`labops validate --format json` lists every problem)');
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('✗ 100000 errors in 10001 files');
    expect(text.stdout.length).toBeLessThan(1_000_000);
    expect(github.stdout.trimEnd().split('\n')).toHaveLength(11);
    expect(github.stdout).toContain('::notice title=labops::99990 errors not annotated');
    for (const run of [json, text, github]) {
      expect(run.seconds).toBeLessThan(60);
      expect(run.peakMiB).toBeLessThan(1200);
    }
  });
});
