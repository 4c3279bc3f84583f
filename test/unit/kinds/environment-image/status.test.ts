/**
 * The built environment images in `labops status`: rows, text, markdown and the JSON shape. An
 * AMI is listed only when one of this repository's observed builds output it, whatever its tags.
 */
import { describe, expect, it } from 'vitest';
import { environmentImageStatusSection } from '../../../../reconciler/src/kinds/environment-image/status.js';
import { emptyRecord } from '../../../../reconciler/src/model/record.js';
import type { ObservedImage, ObservedImageBuild } from '../../../../reconciler/src/model/observed.js';
import { TAG } from '../../../../reconciler/src/model/tags.js';
import { outputAjv } from '../../../support/output-schemas.js';
import { ACCOUNT, REPO, baseImage, desired, instanceOf, observed, workstation } from '../workstation/plan-fixtures.js';

const NOW = new Date('2026-09-16T15:00:00.000Z');

function built(imageId: string, env: string, overrides: Partial<ObservedImage> = {}): ObservedImage {
  return baseImage({
    imageId,
    name: `labops-${imageId}`,
    ownerId: ACCOUNT,
    tags: { [TAG.repo]: REPO, [TAG.kind]: 'EnvironmentImage', [TAG.environment]: env },
    ...overrides,
  });
}

function build(overrides: Partial<ObservedImageBuild>): ObservedImageBuild {
  return {
    environment: 'neuroimaging@1.2.0',
    arn: 'arn:aws:imagebuilder:us-east-1:123456789012:image/labops-neuroimaging/1.2.0/1',
    region: 'us-east-1',
    status: 'AVAILABLE',
    dateCreated: '2026-09-16T14:00:00.000Z',
    amis: {},
    ...overrides,
  };
}

const alice = workstation();
const bob = workstation({ name: 'bob-neuro', owner: 'bob' });
const carol = workstation({ name: 'carol-neuro', owner: 'carol' });

describe('environmentImageStatusSection', () => {
  it('one row per built image with its users, and one per build without an image (running, or newest and FAILED)', () => {
    const images = [
      built('ami-v12-east', 'neuroimaging@1.2.0', { creationDate: '2026-09-14T12:40:00.000Z' }),
      built('ami-v12-west', 'neuroimaging@1.2.0', { region: 'us-west-2', creationDate: '2026-09-16T14:20:00.000Z' }),
      built('ami-v11-east', 'neuroimaging@1.1.0', { creationDate: '2026-08-01T00:00:00.000Z', state: 'pending' }),
      // FORGED: exactly a built image's tags, newer, but no build of this repository's output it: not listed.
      built('ami-forged', 'neuroimaging@1.2.0', { creationDate: '2026-09-16T14:50:00.000Z' }),
      // Not this repository's, or not built by an EnvironmentImage (and no build output them): not listed.
      built('ami-foreign', 'neuroimaging@1.2.0', {
        tags: { [TAG.repo]: 'uni/other', [TAG.kind]: 'EnvironmentImage', [TAG.environment]: 'neuroimaging@1.2.0' },
      }),
      built('ami-snapshot', 'neuroimaging@1.2.0', {
        tags: { [TAG.repo]: REPO, [TAG.kind]: 'Workstation', [TAG.environment]: 'neuroimaging@1.2.0' },
      }),
      baseImage(),
    ];
    const instances = [
      instanceOf(alice, { imageId: 'ami-v12-east' }),
      instanceOf(bob, { imageId: 'ami-v12-east' }),
      instanceOf(carol, { imageId: 'ami-v12-east', state: 'terminated' }),
    ];
    const builds = [
      build({
        environment: 'neuroimaging@1.3.0',
        arn: 'arn:…/1.3.0/1',
        status: 'BUILDING',
        dateCreated: '2026-09-16T14:35:00.000Z',
      }),
      build({
        environment: 'genomics@2.0.0',
        arn: 'arn:…/2.0.0/2',
        status: 'FAILED',
        reason: 'Step Install-GATK failed',
        dateCreated: '2026-09-15T10:00:00.000Z',
      }),
      // An older failure, superseded by a newer build of its version: not listed.
      build({
        environment: 'genomics@2.0.0',
        arn: 'arn:…/2.0.0/1',
        status: 'FAILED',
        reason: 'old',
        dateCreated: '2026-09-14T10:00:00.000Z',
      }),
      // Finished: its AMIs are the rows (the environment version is the build's).
      build({ amis: { 'us-east-1': 'ami-v12-east', 'us-west-2': 'ami-v12-west' } }),
      build({
        environment: 'neuroimaging@1.1.0',
        arn: 'arn:…/1.1.0/1',
        dateCreated: '2026-07-31T23:00:00.000Z',
        amis: { 'us-east-1': 'ami-v11-east' },
      }),
    ];

    const section = environmentImageStatusSection(
      desired([alice, bob, carol]),
      observed(instances, { images }),
      emptyRecord(),
      NOW,
      builds,
    );

    expect(section.key).toBe('environmentImages');
    expect(section.rows).toEqual([
      {
        environment: 'genomics@2.0.0',
        region: 'us-east-1',
        imageId: null,
        state: 'FAILED: Step Install-GATK failed',
        age: '29h 0m',
        usedBy: [],
      },
      {
        environment: 'neuroimaging@1.1.0',
        region: 'us-east-1',
        imageId: 'ami-v11-east',
        state: 'pending',
        age: '46d 15h',
        usedBy: [],
      },
      {
        environment: 'neuroimaging@1.2.0',
        region: 'us-east-1',
        imageId: 'ami-v12-east',
        state: 'available',
        age: '2d 2h',
        usedBy: ['alice-neuro', 'bob-neuro'],
      },
      {
        environment: 'neuroimaging@1.2.0',
        region: 'us-west-2',
        imageId: 'ami-v12-west',
        state: 'available',
        age: '40m',
        usedBy: [],
      },
      {
        environment: 'neuroimaging@1.3.0',
        region: 'us-east-1',
        imageId: null,
        state: 'BUILDING',
        age: '25m',
        usedBy: [],
      },
    ]);
    expect(section.text).toBe(
      [
        '',
        'Environment images:',
        '  ENVIRONMENT         REGION     IMAGE         STATE                             AGE      USED BY',
        '  genomics@2.0.0      us-east-1  -             FAILED: Step Install-GATK failed  29h 0m   -',
        '  neuroimaging@1.1.0  us-east-1  ami-v11-east  pending                           46d 15h  -',
        '  neuroimaging@1.2.0  us-east-1  ami-v12-east  available                         2d 2h    alice-neuro, bob-neuro',
        '  neuroimaging@1.2.0  us-west-2  ami-v12-west  available                         40m      -',
        '  neuroimaging@1.3.0  us-east-1  -             BUILDING                          25m      -',
        '',
      ].join('\n'),
    );
    expect(section.markdown).toContain(
      // markdownCell breaks `@` mentions with a zero-width space.
      '| neuroimaging@\u200b1.2.0 | us-east-1 | ami-v12-east | available | 2d 2h | alice-neuro, bob-neuro |',
    );
    expect(section.rows.filter((row) => !validRow(row))).toEqual([]);
  });

  it('nothing built and nothing building: no rows, no text', () => {
    const section = environmentImageStatusSection(desired([alice]), observed([]), emptyRecord(), NOW, []);

    expect(section).toEqual({ key: 'environmentImages', rows: [], text: '', markdown: '' });
  });
});

/** Whether a row matches `environmentImage` in schemas/output/status.schema.json. */
function validRow(row: object): boolean {
  const validate = outputAjv().getSchema(
    'https://labops.dev/schemas/v1/output/status.schema.json#/definitions/environmentImage',
  );
  if (validate === undefined) throw new Error('no environmentImage definition in status.schema.json');
  return validate(row) === true;
}
