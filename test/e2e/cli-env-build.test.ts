/**
 * `labops env build NAME@VERSION [DIR]` through the built CLI.
 *
 * Refusals: one line and exit 1 when the reference is not an exact version, no EnvironmentImage of
 * the lab declares it, DIR is not a lab, or an option the command does not take is given (nothing
 * is read from AWS).
 *
 * Accepted, against `labops sim` through the real Image Builder client: an AVAILABLE version is
 * built again now (a second build of that version, ListImageBuildVersions), with nothing else of the
 * lab changed; a run while that build is under way starts no duplicate and says so in one line; a
 * version never built gets its resources and one build; a request the plan refuses exits 1 in one
 * line. Needs `npm run build` first.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ListImageBuildVersionsCommand, ListImagesCommand } from '@aws-sdk/client-imagebuilder';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LAB_YAML, workstationYaml } from '../integration/run-harness.js';
import { runBuiltCli } from '../support/cli-run.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

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
    [
      'a DIR that is not a lab (its options before it: the option values are not taken for DIR)',
      ['env', 'build', 'neuroimaging@1.2.0', '--record', 'off', 'images'],
      'labops env build: LAB/images is not a lab folder (it has no labops.yaml)\n',
    ],
    [
      'two DIRs',
      ['env', 'build', 'neuroimaging@1.2.0', '.', 'images'],
      'labops env build: expected at most one DIR after neuroimaging@1.2.0, got 2\n',
    ],
    [
      '--target: the request chooses what is applied',
      ['env', 'build', 'neuroimaging@1.2.0', '--target', 'alice'],
      'labops env build: unknown option --target\n',
    ],
    [
      '--out: apply options only',
      ['env', 'build', 'neuroimaging@1.2.0', '--out', 'plan.json'],
      'labops env build: unknown option --out\n',
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

  it('an EnvironmentImage file with an error: its file:line:col first, then the one refusal line', async () => {
    const lab = makeLab(
      {
        'labops.yaml': LAB_YAML.replace('PRUNE', 'false'),
        'images/neuro.yaml': IMAGE_YAML.replace('instanceTypes: [m6i.xlarge]', 'keep: 0'),
      },
      null,
    );
    cleanups.push(lab.cleanup);

    const result = await runBuiltCli(['env', 'build', 'neuroimaging@1.2.0'], lab.dir, {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.replace(lab.dir, 'LAB').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^images\/neuro\.yaml:6:9: error: .*\(spec\.keep\)$/);
    expect(lines.at(-1)).toBe(
      'labops env build: no EnvironmentImage in LAB declares neuroimaging@1.2.0; 1 EnvironmentImage file(s) have errors (above)',
    );
  });
});

const START = '2026-11-16T12:00:00Z';
const LAB = LAB_YAML.replace('PRUNE', 'false').replace('spec:\n', 'spec:\n  id: lab/neuro\n');

/** A lab-local environment (so a test can change it without a version bump) on the catalog's base-ubuntu. */
const FMRI_YAML = `apiVersion: labops/v1
kind: Environment
metadata: { name: fmri, version: 1.0.0 }
spec:
  inherits: base-ubuntu@^1
  packages: { pip: [nibabel] }
  recommended: { instanceTypes: [m6i.xlarge], minRootGiB: 60 }
`;

let sim: TestSim;

/** A lab of `files` against a new sim at {@link START}; `labops` runs the built CLI there at the sim's clock. */
async function arrange(files: Record<string, string>) {
  sim = await startTestSim({ start: START });
  const lab = makeLab({ 'labops.yaml': LAB, ...files }, null);
  cleanups.push(lab.cleanup);
  const labops = async (args: string[]) => runBuiltCli([...args, '--now', await sim.control.now()], lab.dir, sim.env());
  return { dir: lab.dir, labops };
}

/** Writes `files` (path → text) into the lab at `dir`, as a person editing it between runs. */
function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Every build of the environment version Image Builder shows, `VERSION/BUILD STATUS`, oldest first. */
async function builds(version: string): Promise<string[]> {
  const ib = sim.imagebuilder('us-east-1');
  const images = await ib.send(new ListImagesCommand({ owner: 'Self' }));
  const arn = images.imageVersionList?.find((i) => i.version === version)?.arn;
  if (arn === undefined) return [];
  const list = await ib.send(new ListImageBuildVersionsCommand({ imageVersionArn: arn }));
  return (list.imageSummaryList ?? [])
    .map((s) => `${s.arn?.split('/').slice(-2).join('/') ?? '?'} ${s.state?.status ?? '?'}`)
    .sort();
}

/** AWS calls that change something (not Describe/List/Get), counted by the sim. */
async function mutations(): Promise<Record<string, number>> {
  const calls = await sim.control.calls();
  return Object.fromEntries(Object.entries(calls).filter(([op]) => !/\.(Describe|List|Get)/.test(op)));
}

/** What changed between two counts of {@link mutations}. */
function changed(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([op, n]): [string, number] => [op, n - (before[op] ?? 0)])
      .filter(([, n]) => n > 0),
  );
}

/** What Image Builder shows of the version before the request. */
type Setup = 'nothing' | 'building' | 'failed';

const SETUPS: Record<Setup, (labops: (args: string[]) => Promise<{ status: number }>) => Promise<void>> = {
  nothing: () => Promise.resolve(),
  building: async (labops) => {
    expect((await labops(['apply', '.'])).status).toBe(0);
  },
  failed: async (labops) => {
    await sim.control.request('POST', 'faults', { rules: [{ kind: 'imageTestFails', step: 'Test' }] });
    expect((await labops(['apply', '.'])).status).toBe(0);
    await sim.control.advance('3h');
    const refused = await labops(['plan', '.']);
    expect(refused).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('✗ apply refused: image build of neuroimaging@1.2.0 FAILED') as string,
    });
  },
};

const REQUESTED_LINE =
  '  +  EnvironmentImage/neuro  build-image  requested: labops env build: build image neuroimaging@1.2.0 (requested); on m6i.xlarge, to us-east-1  $0.00/mo';

describe('labops env build (built CLI against the sim): accepted', { timeout: 60_000 }, () => {
  afterEach(async () => {
    await sim.close();
  });

  it('an AVAILABLE version: a second build of it now and no other change; again while it builds: no duplicate, one line', async () => {
    // Arrange: the first build AVAILABLE, then a workstation added (a change the lab needs, not asked for).
    const { dir, labops } = await arrange({ 'images/neuro.yaml': IMAGE_YAML });
    const first = await labops(['apply', '.']);
    await sim.control.advance('3h');
    const available = await builds('1.2.0');
    write(dir, { 'workstations/alice.yaml': workstationYaml('alice') });
    const before = await mutations();

    // Act
    const build = await labops(['env', 'build', 'neuroimaging@1.2.0', '.']);
    const afterBuild = await mutations();
    const again = await labops(['env', 'build', 'neuroimaging@1.2.0']);
    const afterAgain = await mutations();

    // Assert
    expect(first.status, first.stderr).toBe(0);
    expect(available).toEqual(['1.2.0/1 AVAILABLE']);
    expect([build.status, build.stderr]).toEqual([0, '']);
    expect(build.stdout).toContain(
      `warning: partial plan: only EnvironmentImage/neuro and what it waits for (--target); 1 other action(s) left out — run without --target to converge the lab\n\n${REQUESTED_LINE}\n\n1 image build(s) to start, 0 to destroy; $0.00/month\n`,
    );
    expect(build.stdout).toMatch(
      /✓ done {2}EnvironmentImage\/neuro\/build-image: started the image build of neuroimaging@1\.2\.0: 1\.2\.0 PENDING\n/,
    );
    expect(build.stdout).toContain('Apply: 1 done, 0 failed, 0 skipped\n');
    expect(build.stdout).not.toContain('alice');
    expect(changed(before, afterBuild)).toEqual({ 'ImageBuilder.CreateImage': 1 });
    expect([again.status, again.stderr]).toEqual([0, '']);
    expect(again.stdout.split('\n').filter((l) => /neuroimaging@1\.2\.0|No changes/.test(l))).toEqual([
      '… waiting: build image neuroimaging@1.2.0 (requested): build 1.2.0/2 is already PENDING (started 2026-11-16T15:00:00.000Z); it satisfies the request, none started',
      'No changes to EnvironmentImage/neuro.',
    ]);
    expect(changed(afterBuild, afterAgain)).toEqual({});
    expect(await builds('1.2.0')).toEqual(['1.2.0/1 AVAILABLE', '1.2.0/2 PENDING']);
  });

  it.each<[string, Setup, string[], string[]]>([
    [
      'never built: its Image Builder resources, then one build, on request',
      'nothing',
      [
        '  +  EnvironmentImage/neuro  create-image-resource  spec: create component labops-7809c9-neuroimaging 1.2.0  $0.00/mo',
        '  +  EnvironmentImage/neuro  create-image-resource  spec: create distribution configuration labops-7809c9-neuro-dist-03dd5275  $0.00/mo',
        '  +  EnvironmentImage/neuro  create-image-resource  spec: create infrastructure configuration labops-7809c9-neuro-infra-062214bd  $0.00/mo',
        '  +  EnvironmentImage/neuro  create-image-resource  spec: create image recipe labops-7809c9-neuroimaging 1.2.0  $0.00/mo',
        '  +  EnvironmentImage/neuro  build-image  requested: labops env build: build image neuroimaging@1.2.0 (requested); on m6i.xlarge, to us-east-1  $0.00/mo',
      ],
      ['1.2.0/1 PENDING'],
    ],
    [
      'already building (the spec started it): that build satisfies the request',
      'building',
      [
        '… waiting: build image neuroimaging@1.2.0 (requested): build 1.2.0/1 is already PENDING (started 2026-11-16T12:00:00.000Z); it satisfies the request, none started',
        'No changes to EnvironmentImage/neuro.',
      ],
      ['1.2.0/1 PENDING'],
    ],
    [
      "whose build FAILED (the plan refused it till now): retried on request, as the refusal's message says",
      'failed',
      [
        '  +  EnvironmentImage/neuro  build-image  requested: labops env build: build image neuroimaging@1.2.0 (requested); on m6i.xlarge, to us-east-1  $0.00/mo',
      ],
      ['1.2.0/1 FAILED', '1.2.0/2 PENDING'],
    ],
  ])('a declared version %s', async (_name, setup, planLines, expectedBuilds) => {
    // Arrange
    const { labops } = await arrange({ 'images/neuro.yaml': IMAGE_YAML });
    await SETUPS[setup](labops);
    const before = await mutations();

    // Act
    const result = await labops(['env', 'build', 'neuroimaging@1.2.0']);

    // Assert
    expect([result.status, result.stderr]).toEqual([0, '']);
    const shown = result.stdout.split('\n').filter((l) => /^ {2}\+ |^… waiting|^No changes/.test(l));
    expect(shown.map((l) => l.replace(/ {2,}/g, '  '))).toEqual(planLines.map((l) => l.replace(/ {2,}/g, '  ')));
    expect(await builds('1.2.0')).toEqual(expectedBuilds);
    expect(changed(before, await mutations())['ImageBuilder.CreateImage'] ?? 0).toBe(setup === 'building' ? 0 : 1);
  });

  it('a request the plan refuses (the environment changed without a version bump): exit 1, one line, no build', async () => {
    // Arrange
    const image = IMAGE_YAML.replace('neuroimaging@^1', 'fmri@^1');
    const { dir, labops } = await arrange({ 'environments/fmri.yaml': FMRI_YAML, 'images/neuro.yaml': image });
    expect((await labops(['apply', '.'])).status).toBe(0);
    await sim.control.advance('3h');
    write(dir, { 'environments/fmri.yaml': FMRI_YAML.replace('[nibabel]', '[nibabel, mrtrix3]') });
    const before = await mutations();

    // Act
    const result = await labops(['env', 'build', 'fmri@1.0.0', dir]);

    // Assert
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      "✗ apply refused: environment fmri@1.0.0 (or the build labops renders from it) changed since its component was created (Image Builder versions are immutable): bump the environment's metadata.version to build the change\n",
    );
    expect(result.stderr).toBe(
      'labops env build: no build of fmri@1.0.0 started: the plan refuses it (image-changed: above)\n',
    );
    expect(changed(before, await mutations())).toEqual({});
    expect(await builds('1.0.0')).toEqual(['1.0.0/1 AVAILABLE']);
  });
});
