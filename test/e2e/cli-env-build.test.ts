/**
 * `labops env build NAME@VERSION` through the built CLI: one line and exit 1 when the reference is
 * not an exact version or no EnvironmentImage of the lab declares it (nothing is read from AWS).
 * Needs `npm run build` first.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LAB_YAML } from '../integration/run-harness.js';
import { runBuiltCli } from '../support/cli-run.js';
import { makeLab } from '../support/lab-fixture.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

const IMAGE_YAML = `apiVersion: labops/v1
kind: EnvironmentImage
metadata: { name: neuro, owner: pi, project: neuro }
spec:
  environment: neuroimaging@^1
  instanceTypes: [m6i.xlarge]
`;

describe('labops env build (built CLI): refusals', () => {
  it.each<[string, string[], string]>([
    [
      'a range, not an exact version',
      ['env', 'build', 'neuroimaging@^1'],
      'labops env build: expected NAME@VERSION with an exact version (e.g. neuroimaging@1.3.0), got neuroimaging@^1\n',
    ],
    [
      'a version no EnvironmentImage declares',
      ['env', 'build', 'neuroimaging@1.1.0'],
      'labops env build: no EnvironmentImage in LAB declares neuroimaging@1.1.0 (declared: neuroimaging@1.2.0); add one under images/ first\n',
    ],
    [
      'an environment no EnvironmentImage bakes',
      ['env', 'build', 'genomics@1.0.0'],
      'labops env build: no EnvironmentImage in LAB declares genomics@1.0.0 (declared: neuroimaging@1.2.0); add one under images/ first\n',
    ],
  ])('%s: one line, exit 1, AWS never asked', async (_name, args, expected) => {
    const lab = makeLab({ 'labops.yaml': LAB_YAML.replace('PRUNE', 'false'), 'images/neuro.yaml': IMAGE_YAML }, null);
    cleanups.push(lab.cleanup);

    // No endpoint and no credentials: a refusal that reached AWS would fail differently.
    const result = await runBuiltCli(args, lab.dir, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' });

    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr.replace(lab.dir, 'LAB') }).toEqual({
      status: 1,
      stdout: '',
      stderr: expected,
    });
  });
});
