/**
 * Component documents: AWSTOE YAML with build, validate and test phases; every document within Image
 * Builder's 16,000-character limit on inline data, a long build script split over ordered parts
 * (never truncated) that put the exact script back together; the same environment renders the same
 * documents byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCatalog } from '../../../../reconciler/src/environments/catalog.js';
import { indexCandidates, resolveEnvironment } from '../../../../reconciler/src/environments/resolve.js';
import { renderImageBuildScript } from '../../../../reconciler/src/environments/user-data.js';
import { IMAGE_MARKER_UNIT, imageMarkerUnitLines } from '../../../../reconciler/src/environments/provision-script.js';
import { parseProvisionMarker } from '../../../../reconciler/src/aws/ec2-readiness.js';
import { renderComponents } from '../../../../reconciler/src/kinds/environment-image/component.js';
import { COMPONENT_DATA_LIMIT } from '../../../../reconciler/src/model/environment-image.js';

const catalog = loadCatalog().environments;
const index = indexCandidates(catalog);

function resolved(ref: string) {
  const result = resolveEnvironment(ref, index);
  if (!result.ok) throw new Error(result.message);
  return result.env;
}

interface Phase {
  name: string;
  steps: { name: string; action: string; inputs: { commands: string[] } }[];
}

function phases(doc: string): Phase[] {
  return (parse(doc) as { phases: Phase[] }).phases;
}

describe('component documents', () => {
  it('build runs the rendered script; validate and test check the marker, packages and service units', () => {
    const env = resolved('neuroimaging@1.2.0');
    const script = renderImageBuildScript(env);

    const docs = renderComponents(env, script);

    expect(docs).toHaveLength(1);
    const [build, validate, test] = phases(docs[0] ?? '');
    expect([build?.name, validate?.name, test?.name]).toEqual(['build', 'validate', 'test']);
    expect(build?.steps[0]?.inputs.commands).toEqual([script, ...imageMarkerUnitLines()]);
    const checks = validate?.steps[0]?.inputs.commands ?? [];
    expect(checks).toContain(`systemctl is-enabled ${IMAGE_MARKER_UNIT} >/dev/null`);
    expect(checks).toContain('test -s /etc/labops/environment.json');
    expect(checks).toContain(`grep -q '"failedSteps":""' /etc/labops/provisioned.json`);
    expect(checks.some((c) => c.startsWith('systemctl is-enabled '))).toBe(true);
    expect(test?.steps[0]?.inputs.commands).toEqual(checks);
  });

  it.each(catalog.map((c) => `${c.environment.metadata.name}@${c.environment.metadata.version}`))(
    '%s: every document within 16,000 characters',
    (ref) => {
      const env = resolved(ref);

      const docs = renderComponents(env, renderImageBuildScript(env));

      for (const doc of docs) expect(doc.length).toBeLessThanOrEqual(COMPONENT_DATA_LIMIT);
    },
  );

  it('splits a script longer than the limit over ordered parts that rebuild it exactly; checks only in the last', () => {
    const env = resolved('neuroimaging@1.2.0');
    const script = renderImageBuildScript(env);
    const limit = 8_000;

    const docs = renderComponents(env, script, limit);

    expect(docs.length).toBeGreaterThanOrEqual(2);
    for (const doc of docs) expect(doc.length).toBeLessThanOrEqual(limit);
    const encoded = docs
      .flatMap((d) => phases(d)[0]?.steps[0]?.inputs.commands ?? [])
      .flatMap((c) => /^printf %s '([A-Za-z0-9+/=]*)' >>/.exec(c)?.[1] ?? []);
    expect(Buffer.from(encoded.join(''), 'base64').toString('utf8')).toBe(script);
    expect(
      docs.map((d) =>
        phases(d)
          .map((p) => p.name)
          .join(','),
      ),
    ).toEqual([...docs.slice(1).map(() => 'build'), 'build,validate,test']);
    const last = phases(docs[docs.length - 1] ?? '')[0]?.steps[0]?.inputs.commands ?? [];
    expect(last.slice(-2)).toEqual(imageMarkerUnitLines());
  });

  it('the marker unit an image boots with prints the line labops status reads as an image boot', () => {
    // Arrange: the build's lines write the unit file; here into a scratch directory.
    const dir = mkdtempSync(join(tmpdir(), 'labops-unit-'));
    const [write] = imageMarkerUnitLines();
    const unitPath = join(dir, IMAGE_MARKER_UNIT);

    // Act: the real shell writes the unit; its ExecStart runs as systemd would (`$$` is a literal `$`).
    execFileSync('bash', ['-c', (write ?? '').replace(`/etc/systemd/system/${IMAGE_MARKER_UNIT}`, unitPath)]);
    const unit = readFileSync(unitPath, 'utf8');
    const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '';
    const [, shell, flag, command] = /^(\S+) (-c) '(.*)'$/.exec(exec) ?? [];
    const printed = execFileSync(shell ?? 'false', [
      flag ?? '',
      (command ?? '').replace(/\$\$/g, '$').replace('> /dev/console', ''),
    ]).toString();

    // Assert
    expect(unit).toContain('[Install]\nWantedBy=multi-user.target\n');
    expect(parseProvisionMarker(printed)).toEqual({
      result: 'ready',
      seconds: expect.any(Number) as number,
      steps: '',
      path: 'image',
    });
  });

  it('renders the same documents for the same environment', () => {
    const env = resolved('ml-gpu');

    expect(renderComponents(env, renderImageBuildScript(env))).toEqual(
      renderComponents(env, renderImageBuildScript(env)),
    );
  });
});
