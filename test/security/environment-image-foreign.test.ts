/**
 * An EnvironmentImage never uses or deletes an Image Builder resource or AMI this repository did
 * not create: a component of the exact name it would use, made by someone else, is refused with no
 * Image Builder mutation (without the `labops:repo` check in plan.ts it would build on the foreign
 * component). The forged-AMI case is covered at the planner (test/unit/kinds/environment-image/plan.test.ts).
 */
import { CreateComponentCommand, ListComponentsCommand } from '@aws-sdk/client-imagebuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { imageNamePrefix } from '../../reconciler/src/model/environment-image.js';
import { startRunHarness } from '../integration/run-harness.js';
import type { RunHarness } from '../integration/run-harness.js';

const REPO = 'lab/neuro';

const ENVIRONMENT = `apiVersion: labops/v1
kind: Environment
metadata: { name: fmri, version: 1.0.0 }
spec:
  inherits: base-ubuntu@^1
  recommended: { instanceTypes: [m6i.xlarge], minRootGiB: 60 }
`;

function imageYaml(extra = ''): string {
  return `apiVersion: labops/v1
kind: EnvironmentImage
metadata: { name: fmri, owner: pi, project: neuro }
spec:
  environment: fmri@^1
  regions: [us-east-1]
${extra}`;
}

async function creates(rh: RunHarness): Promise<number> {
  const calls = await rh.h.sim.control.calls();
  return Object.entries(calls)
    .filter(([op]) => /^ImageBuilder\.(Create|Delete|Tag)/.test(op))
    .reduce((n, [, count]) => n + count, 0);
}

let rh: RunHarness;
afterEach(async () => {
  await rh.close();
});

describe('EnvironmentImage ownership', () => {
  it('refuses a component of its name made by another lab, and uses or creates nothing', async () => {
    rh = await startRunHarness({ 'environments/fmri.yaml': ENVIRONMENT, 'images/fmri.yaml': imageYaml() });
    const ib = rh.h.sim.imagebuilder('us-east-1');
    await ib.send(
      new CreateComponentCommand({
        name: `${imageNamePrefix(REPO)}fmri`,
        semanticVersion: '1.0.0',
        platform: 'Linux',
        data: 'name: theirs\nschemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Run\n        action: ExecuteBash\n        inputs: { commands: [echo theirs] }\n',
        tags: { 'labops:repo': 'other/lab', 'labops:kind': 'EnvironmentImage', 'labops:environment': 'fmri@1.0.0' },
        clientToken: 'theirs-0001',
      }),
    );
    const before = await creates(rh);

    const result = await rh.reconcile('2026-11-16T12:00:00Z');

    expect(result.plan?.actions).toEqual([]);
    expect(result.plan?.refusals.map((r) => [r.code, r.resource?.name])).toEqual([['image-foreign', 'fmri']]);
    expect(await creates(rh)).toBe(before);
    const listed = await ib.send(new ListComponentsCommand({ owner: 'Self' }));
    expect(listed.componentVersionList?.map((c) => c.name)).toEqual([`${imageNamePrefix(REPO)}fmri`]);
  });
});
