/** The built `labops` CLI, spawned without blocking (so a simulator in this process can answer it). */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../reconciler/src/package-root.js';

const bin = join(packageRoot(), 'dist/reconciler/src/cli/main.js');

/** Exit status and output of one `labops` run in `cwd` with `env` over this process's environment. */
export async function runBuiltCli(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', LABOPS_DEBUG: '', ...env },
    });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
