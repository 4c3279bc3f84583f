/**
 * Tags are untrusted input: anyone who can tag an instance in the account can write `labops:repo`.
 * `labops adopt` refuses ids and names that are not plain, never takes an instance another lab id
 * claims, and what a hostile tag says reaches the terminal escaped.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InstanceDescription } from '../../reconciler/src/aws/ports.js';
import { adoptionProblem } from '../../reconciler/src/cli/commands/adopt.js';
import { identityWarnings } from '../../reconciler/src/cli/pipeline-command.js';
import type { RunResult } from '../../reconciler/src/engine/pipeline.js';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { makeLab } from '../support/lab-fixture.js';

const bin = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
const ESC = '\u001b';

function instance(tags: Record<string, string>, instanceType = 't3.large'): InstanceDescription {
  return {
    instanceId: 'i-0123456789abcdef0',
    state: 'running',
    instanceType,
    availabilityZone: 'us-east-1a',
    launchTime: '2026-11-01T00:00:00Z',
    rootDeviceName: '/dev/sda1',
    blockDevices: [],
    hibernationConfigured: false,
    tags,
  };
}

describe('labops adopt refuses unsafe ids and names before any AWS call', () => {
  const lab = makeLab(
    {
      'labops.yaml':
        'apiVersion: labops/v1\nkind: Lab\nmetadata: { name: sec-lab }\nspec:\n  aws: { accountId: "123456789012", defaultRegion: us-east-1 }\n',
    },
    null,
  );
  it.each([
    { argv: ['--from', 'owner/name;rm -rf ~'], message: '--from must be a lab id owner/name' },
    { argv: ['--from', '../../etc'], message: '--from must be a lab id owner/name' },
    { argv: ['--from', `a/b\n${ESC}[2J`], message: '--from must be a lab id owner/name' },
    { argv: ['--instance', 'i-123;x', 'ann'], message: '--instance must be an instance id' },
    { argv: ['--instance', 'vol-0123456789abcdef0', 'ann'], message: '--instance must be an instance id' },
  ])('$argv', ({ argv, message }) => {
    // Act: no AWS endpoint is configured, so reaching AWS would fail differently
    const run = spawnSync(process.execPath, [bin, 'adopt', lab.dir, ...argv], {
      encoding: 'utf8',
      env: { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' },
    });

    // Assert
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain(ESC);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('adoptionProblem: an instance another lab id claims is never adopted', () => {
  const ws = { name: 'ann', region: 'us-east-1', instanceType: 't3.large' };
  it.each<{ name: string; tags: Record<string, string>; problem: RegExp | undefined }>([
    { name: 'another id', tags: { 'labops:repo': 'other/lab' }, problem: /belongs to lab id "other\/lab"/ },
    {
      name: 'another id with terminal escapes',
      tags: { 'labops:repo': `x${ESC}]0;pwned\u0007` },
      problem: /belongs to lab id/,
    },
    {
      name: 'this id but another workstation',
      tags: { 'labops:repo': 'o/lab', 'labops:kind': 'Workstation', 'labops:name': 'bob' },
      problem: /already this lab's Workstation "bob"/,
    },
    { name: 'untagged, right type', tags: {}, problem: undefined },
  ])('$name', ({ tags, problem }) => {
    // Act
    const out = adoptionProblem(instance(tags), ws, 'o/lab');

    // Assert
    if (problem === undefined) expect(out).toBeUndefined();
    else {
      expect(out).toMatch(problem);
      expect(out).not.toContain(ESC);
      expect(out).not.toContain('\u0007');
    }
  });
});

describe('identityWarnings: a foreign id from a tag is shown escaped, on one line', () => {
  it('escapes control characters of the other id', () => {
    // Arrange
    const result = {
      outcome: 'planned',
      identity: { repo: 'o/lab', source: 'spec' },
      foreign: [{ id: `evil\n${ESC}[31mred`, names: ['ann'], instanceIds: ['i-1'] }],
      record: 'present',
    } as unknown as RunResult;

    // Act
    const lines = identityWarnings('plan', result);

    // Assert
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(ESC);
    expect(lines[0]).not.toContain('\n');
  });
});
