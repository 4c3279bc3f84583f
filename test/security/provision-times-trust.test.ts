/**
 * The run record's `provisionTimes` against forgery: the record is untrusted, and these seconds
 * feed only the plan's estimate of what a built image saves. A forged record out of the schema's
 * bounds (too many entries, negative or week-long seconds, an environment that is no name@version)
 * is refused in one line naming the field; one within them moves the estimate and nothing else:
 * the workstation still launches from the built image, with the same launch.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyRecord } from '../../reconciler/src/model/record.js';
import type { RunRecord } from '../../reconciler/src/model/record.js';
import { RecordError, parseRecord } from '../../reconciler/src/record/parse.js';
import { failures, startRunHarness } from '../integration/run-harness.js';
import type { RunHarness } from '../integration/run-harness.js';

const WHERE = '/lab/.labops/record.json';
const AT = '2026-11-16T12:00:00.000Z';
const entry = (seconds: number, environment = 'fmri@1.0.0') => ({ environment, path: 'script', seconds, at: AT });

function parseError(record: object): string {
  try {
    parseRecord(JSON.stringify(record), WHERE, { warn: () => {} });
  } catch (err) {
    if (err instanceof RecordError) return err.message;
    throw err;
  }
  return 'accepted';
}

describe('a forged provisionTimes out of bounds is refused', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'more entries than the record keeps',
      Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`i-${String(i).padStart(17, '0')}`, entry(60)])),
      /^\/lab\/\.labops\/record\.json: invalid run record at \/provisionTimes: /,
    ],
    ['negative seconds', { 'i-0123456789abcdef0': entry(-1) }, /at \/provisionTimes\/i-0123456789abcdef0\/seconds: /],
    [
      'more than a week',
      { 'i-0123456789abcdef0': entry(604_801) },
      /at \/provisionTimes\/i-0123456789abcdef0\/seconds: /,
    ],
    [
      'an environment that is not name@version',
      { 'i-0123456789abcdef0': entry(60, '../../etc') },
      /at \/provisionTimes\/i-0123456789abcdef0\/environment: /,
    ],
    ['a key that is no instance id', { 'not-an-instance': entry(60) }, /at \/provisionTimes\/not-an-instance: /],
  ])('%s', (_case, provisionTimes, message) => {
    expect(parseError({ ...emptyRecord(), provisionTimes })).toMatch(message);
  });
});

const ENVIRONMENT = `apiVersion: labops/v1
kind: Environment
metadata: { name: fmri, version: 1.0.0 }
spec:
  inherits: base-ubuntu@^1
  packages: { pip: [nibabel] }
`;

const IMAGE = `apiVersion: labops/v1
kind: EnvironmentImage
metadata: { name: fmri, owner: pi, project: neuro }
spec:
  environment: fmri@^1
  regions: [us-east-1]
  instanceTypes: [m6i.xlarge]
`;

const WORKSTATION = `apiVersion: labops/v1
kind: Workstation
metadata: { name: later, owner: later, project: neuro }
spec:
  environment: fmri@^1
  instanceType: m6i.xlarge
  storage: { rootGiB: 60 }
`;

let rh: RunHarness | undefined;
afterEach(async () => {
  await rh?.close();
  rh = undefined;
});

describe('a forged provisionTimes within bounds moves only the estimate', () => {
  it('the workstation launches from the built image with the same launch; only the saving line differs', async () => {
    const h = await startRunHarness({ 'environments/fmri.yaml': ENVIRONMENT, 'images/fmri.yaml': IMAGE });
    rh = h;
    await h.reconcile('2026-11-16T12:00:00Z');
    await h.h.sim.control.advance('3h');
    await h.reconcile();
    h.write({ 'workstations/later.yaml': WORKSTATION });
    const honest = await h.reconcile(undefined, 'plan');
    const record = JSON.parse(readFileSync(h.recordPath, 'utf8')) as RunRecord;
    writeFileSync(
      h.recordPath,
      `${JSON.stringify({
        ...record,
        provisionTimes: {
          'i-0000000000000000a': { ...entry(604_800), at: '2026-11-16T14:00:00.000Z' },
          'i-0000000000000000b': { ...entry(0), path: 'image', at: '2026-11-16T14:00:00.000Z' },
        },
      })}\n`,
    );

    const forged = await h.reconcile(undefined, 'plan');

    expect(failures(forged)).toEqual([]);
    const launch = (view: typeof honest) => view.plan?.actions.find((a) => a.resource.name === 'later');
    expect(launch(forged)?.kind).toBe('create');
    expect(launch(forged)?.details).toEqual(launch(honest)?.details);
    expect(forged.plan?.actions.map((a) => a.id)).toEqual(honest.plan?.actions.map((a) => a.id));
    expect(launch(honest)?.imageSavings?.scriptFrom).toBe('builds');
    expect(launch(forged)?.imageSavings).toMatchObject({
      scriptSeconds: 604_800,
      scriptFrom: 'launches',
      imageSeconds: 0,
    });
  });
});
