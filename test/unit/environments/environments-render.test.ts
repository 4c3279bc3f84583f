import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

import {
  USER_DATA_LIMIT_BYTES,
  loadCatalog,
  renderUserData,
  resolveEnvironment,
  type ResolvedEnvironment,
} from '../../../reconciler/src/environments/index.js';

const GOLDEN_DIR = join(import.meta.dirname, '..', '..', 'golden', 'environments');
const catalog = loadCatalog();
const names = catalog.environments.map((candidate) => candidate.environment.metadata.name);

function resolved(ref: string): ResolvedEnvironment {
  const result = resolveEnvironment(ref, catalog.environments);
  if (!result.ok) {
    throw new Error(result.message);
  }
  return result.env;
}

describe('renderUserData for the built-in catalog', () => {
  it.each(names)('%s renders byte-identically twice and matches its golden file', (name) => {
    const env = resolved(name);

    const first = renderUserData(env);
    const second = renderUserData(resolved(name));

    expect(second).toBe(first);
    const golden = join(GOLDEN_DIR, `${name}.user-data`);
    if (process.env.UPDATE_GOLDEN === '1') {
      writeFileSync(golden, first);
    }
    expect(first).toBe(readFileSync(golden, 'utf8'));
  });

  it.each(names)('%s fits in the EC2 user-data limit uncompressed', (name) => {
    const bytes = Buffer.byteLength(
      renderUserData(resolved(name), { workstationName: 'a'.repeat(63), owner: 'b'.repeat(39) }),
    );

    expect(bytes).toBeLessThan(USER_DATA_LIMIT_BYTES);
  });
});

describe('renderUserData quoting and options', () => {
  const hostile = "x'; rm -rf / #\r\n- evil: \u2028`$(id)`";

  function fixture(): ResolvedEnvironment {
    return {
      name: 'hostile',
      version: '1.0.0',
      labels: {},
      origin: 'lab',
      os: 'rocky-9',
      architecture: 'arm64',
      lineage: ['hostile@1.0.0'],
      spec: {
        os: 'rocky-9',
        architecture: 'arm64',
        packages: {
          apt: [hostile, 'gcc=11.4.1'],
          conda: { channels: [hostile], packages: [hostile] },
          pip: [hostile],
          spack: [hostile],
          containers: [hostile],
        },
        services: [{ name: 'viewer', port: 9000, command: hostile, description: `${hostile} 100%` }],
        recommended: { gpu: true },
      },
    };
  }

  it('keeps every hostile string inside its YAML scalar and shell word', () => {
    const text = renderUserData(fixture(), { workstationName: hostile, owner: hostile, spackMirror: hostile });

    const doc = YAML.parse(text) as {
      packages: unknown[];
      write_files: { path: string; content: string }[];
      runcmd: unknown;
    };
    expect(Object.keys(doc)).toEqual(['package_update', 'packages', 'write_files', 'bootcmd', 'runcmd']);
    expect(doc.packages).toEqual([hostile, ['gcc', '11.4.1'], 'git']);
    expect(/^[\t\n\x20-\x7e]*$/.test(text)).toBe(true);
    const marker = JSON.parse(
      doc.write_files.find((file) => file.path === '/etc/labops/environment.json')?.content ?? '',
    ) as Record<string, string>;
    expect([marker.workstation, marker.owner]).toEqual([hostile, hostile]);
    const unit =
      doc.write_files.find((file) => file.path === '/etc/systemd/system/labops-viewer.service')?.content ?? '';
    expect(unit.split('\n').filter((line) => line.startsWith('Description='))).toHaveLength(1);
    expect(unit).toContain('100%%');
    for (const file of doc.write_files.filter((f) => f.path.endsWith('.sh'))) {
      expect(spawnSync('bash', ['-n'], { input: file.content }).status, file.path).toBe(0);
    }
  });

  it('makes a hostile command one argument of bash -lc', () => {
    const doc = YAML.parse(renderUserData(fixture())) as { write_files: { path: string; content: string }[] };
    const script = doc.write_files.find((file) => file.path === '/opt/labops/services/viewer.sh')?.content ?? '';

    const echoed = spawnSync('bash', ['-c', script.replace('exec /bin/bash -lc', 'printf %s')], { encoding: 'utf8' });

    expect(echoed.stdout).toBe(hostile);
  });

  it('uses dnf-era tooling on rocky: podman, the SSM agent rpm for arm64, the GPU probe', () => {
    const text = renderUserData(fixture());

    expect(text).toContain('SSMAgent/latest/linux_arm64/amazon-ssm-agent.rpm');
    expect(text).toContain('command -v podman || dnf install -y podman');
    expect(text).toContain('micromamba-linux-aarch64');
    expect(text).toContain('nvidia-smi --query-gpu=utilization.gpu');
  });

  it('leaves the idle agent out when asked, and applies its thresholds otherwise', () => {
    const off = renderUserData(fixture(), { idleAgent: false });
    const on = renderUserData(fixture(), { idleAgent: { cpuBelowPercent: 12.4, gpuBelowPercent: 3, publish: false } });

    expect(off).not.toContain('idle-metrics');
    expect(on).toContain('if [ "$cpu" -lt 12 ] && [ "${gpu:-0}" -lt 3 ]');
    expect(on).not.toContain('put-metric-data');
  });
});
