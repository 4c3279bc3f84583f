/**
 * The AWS SDK's NodeVersionSupportWarning, once per run and only where it applies (issue 16 item 8).
 * The threshold is pinned against the SDK's own check, so an SDK that moves it fails here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SDK_NEXT_NODE_MAJOR, nodeNoticeApplies } from '../../../reconciler/src/aws/node-support.js';
import { packageRoot } from '../../../reconciler/src/package-root.js';

/** Runs a script in a fresh Node process (the notice is once per process); returns its stderr. */
function node(script: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: process.cwd(),
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '', GITHUB_RUN_ID: '', ...env },
  });
  return r.stderr;
}

describe('the SDK Node notice', () => {
  it("pins the SDK's threshold: its check warns below SDK_NEXT_NODE_MAJOR and not at it", () => {
    const below = node(
      `import { emitWarningIfUnsupportedVersion } from '@aws-sdk/core/client'; emitWarningIfUnsupportedVersion('v${SDK_NEXT_NODE_MAJOR - 1}.0.0');`,
    );
    const at = node(
      `import { emitWarningIfUnsupportedVersion } from '@aws-sdk/core/client'; emitWarningIfUnsupportedVersion('v${SDK_NEXT_NODE_MAJOR}.0.0');`,
    );

    expect(below).toContain(`NodeVersionSupportWarning`);
    expect(below).toContain(`node >=${SDK_NEXT_NODE_MAJOR}`);
    expect(at).toBe('');
  });

  it.each([
    ['v20.20.2', true],
    ['v21.7.0', true],
    ['v22.0.0', false],
    ['v24.21.0', false],
  ])('applies to %s: %s', (version, applies) => {
    expect(nodeNoticeApplies(version)).toBe(applies);
  });

  // The built runtime (npm run build), as the CLI runs it.
  const runtime = join(packageRoot(), 'dist/reconciler/src/runtime/runtime.js');
  // Three runtimes each making EC2 clients in two Regions, as three commands of one process would.
  const script = `
    const { createRuntime } = await import(${JSON.stringify(`file://${runtime}`)});
    for (let n = 0; n < 3; n++) {
      const rt = await createRuntime({ env: process.env, notice: (l) => process.stderr.write(l) });
      rt.ports('us-east-1'); rt.ports('us-west-2'); rt.costs(); rt.close();
    }`;

  function tsx(env: Record<string, string> = {}): string {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '',
        GITHUB_RUN_ID: '',
        AWS_REGION: '',
        ...env,
      },
    });
    return r.stderr;
  }

  it.runIf(nodeNoticeApplies(process.version))(
    'on this Node: one labops line per process, never the SDK’s own warning',
    () => {
      const stderr = tsx();

      expect(stderr.match(/labops: warning: Node v/g)).toHaveLength(1);
      expect(stderr).not.toContain('NodeVersionSupportWarning');
    },
  );

  it.runIf(nodeNoticeApplies(process.version))('under GitHub Actions: once per workflow run, across processes', () => {
    const temp = mkdtempSync(join(tmpdir(), 'labops-notice-'));
    try {
      const env = { GITHUB_RUN_ID: String(Date.now()), GITHUB_RUN_ATTEMPT: '1', RUNNER_TEMP: temp };
      const first = tsx(env);
      const second = tsx(env);

      expect(first.match(/labops: warning: Node v/g)).toHaveLength(1);
      expect(second).not.toMatch(/labops: warning: Node|NodeVersionSupportWarning/);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });

  it.runIf(!nodeNoticeApplies(process.version))('on a supported Node: nothing at all', () => {
    expect(tsx()).toBe('');
  });
});
