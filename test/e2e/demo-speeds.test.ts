/**
 * `npm run demo` at two simulated clock speeds: plan, apply and plan again through the built
 * CLI against `labops sim` (scripts/demo.mjs). The second plan must be empty at any speed, and
 * the demo must not sit out AWS's "about two minutes after launch" before hibernating with a
 * local sleep: that wait is measured on AWS's clock (the reply's Date against LaunchTime), so at
 * 60× or 600× it takes a couple of real seconds, not two real minutes. Needs `npm run build`.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs the demo; answers its exit code and output. */
function demo(speed: number): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'scripts/demo.mjs'), '--speed', String(speed)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

describe('the demo: plan, apply, plan again', () => {
  // Less than the two real minutes a fixed local sleep before hibernating would take.
  it.each([60, 600])(
    'at %i× the second plan shows no changes, without two real minutes of sleep',
    async (speed) => {
      // Arrange
      const started = Date.now();

      // Act
      const { code, out } = await demo(speed);

      // Assert
      expect(out).toContain('--detailed-exitcode');
      expect(out).not.toContain('The second plan should show no changes');
      expect(code, out).toBe(0);
      expect(Date.now() - started).toBeLessThan(100_000);
    },
    110_000,
  );
});
