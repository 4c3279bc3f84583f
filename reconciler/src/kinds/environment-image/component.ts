/**
 * The Image Builder component documents of an environment version (AWSTOE YAML, schemaVersion 1.0):
 * the build phase runs the environment's rendered build script, then installs the unit that prints
 * the readiness marker at every boot of the image (environments/provision-script.ts); the validate
 * phase (on the build instance) and the test phase (on a fresh instance launched from the new AMI)
 * check what the environment promises: the marker file, provisioning without failed steps, the
 * marker unit, every package installed and every service's unit enabled. Image Builder takes at most 16,000 characters of
 * inline data per component: a longer script is split, base64-encoded, over ordered components
 * (each appends its part; the last decodes and runs it), never truncated.
 */
import { stringify } from 'yaml';
import { safeName } from '../../environments/quote.js';
import { LAB_PREFIX } from '../../environments/services.js';
import { IMAGE_MARKER_UNIT, imageMarkerUnitLines } from '../../environments/provision-script.js';
import { COMPONENT_DATA_LIMIT } from '../../model/environment-image.js';
import type { EnvironmentSpec } from '../../specs/types.js';

/** What a component's checks need of the environment. */
export interface ComponentEnvironment {
  name: string;
  version: string;
  os: string;
  spec: EnvironmentSpec;
}

const SCRIPT_DIR = '/var/lib/labops-image';
const SCRIPT_B64 = `${SCRIPT_DIR}/build.sh.b64`;

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The shell checks that what the environment promises is there. */
export function environmentChecks(env: ComponentEnvironment): string[] {
  const pkgs = env.spec.packages ?? {};
  const ubuntu = env.os.startsWith('ubuntu');
  const checks = [
    'test -s /etc/labops/environment.json',
    `grep -q '"failedSteps":""' /etc/labops/provisioned.json`,
    `systemctl is-enabled ${IMAGE_MARKER_UNIT} >/dev/null`,
  ];
  for (const entry of pkgs.apt ?? []) {
    const name = entry.split('=')[0] ?? entry;
    checks.push(ubuntu ? `dpkg -s ${quote(name)} >/dev/null` : `rpm -q ${quote(name)} >/dev/null`);
  }
  for (const entry of pkgs.conda?.packages ?? []) {
    const name = /^[A-Za-z0-9_.-]+/.exec(entry)?.[0] ?? entry;
    checks.push(`test -n "$(ls -d ${LAB_PREFIX}/conda-meta/${name}-[0-9]*.json 2>/dev/null)"`);
  }
  for (const entry of pkgs.pip ?? []) {
    const name = /^[A-Za-z0-9_.-]+/.exec(entry)?.[0] ?? entry;
    checks.push(`${LAB_PREFIX}/bin/python -m pip show ${quote(name)} >/dev/null`);
  }
  for (const entry of pkgs.spack ?? []) {
    const name = /^[A-Za-z0-9_.-]+/.exec(entry)?.[0] ?? entry;
    checks.push(`/opt/spack/bin/spack find ${quote(name)} >/dev/null`);
  }
  for (const service of env.spec.services ?? [])
    checks.push(`systemctl is-enabled ${quote(`labops-${safeName(service.name)}.service`)} >/dev/null`);
  return checks;
}

function document(name: string, description: string, build: string[], checks: string[] | undefined): string {
  const step = (stepName: string, commands: string[]) => ({
    name: stepName,
    action: 'ExecuteBash',
    inputs: { commands },
  });
  const phases: object[] = [{ name: 'build', steps: [step('Build', build)] }];
  if (checks !== undefined) {
    phases.push({ name: 'validate', steps: [step('Validate', ['set -e', ...checks])] });
    phases.push({ name: 'test', steps: [step('Test', ['set -e', ...checks])] });
  }
  return stringify({ name, description, schemaVersion: 1.0, phases }, { lineWidth: 0 });
}

/**
 * The component documents of `env` for `script`, in build order: one when it fits in
 * {@link COMPONENT_DATA_LIMIT} characters, else the script base64-encoded over as many as needed.
 * @throws never: each part is sized to fit, whatever the script's length
 */
export function renderComponents(env: ComponentEnvironment, script: string, limit = COMPONENT_DATA_LIMIT): string[] {
  const title = `labops ${env.name}@${env.version}`;
  const checks = environmentChecks(env);
  const marker = imageMarkerUnitLines();
  const whole = document(title, `${title}: build, validate and test`, [script, ...marker], checks);
  if (whole.length <= limit) return [whole];
  const encoded = Buffer.from(script, 'utf8').toString('base64');
  const run = [`base64 -d ${SCRIPT_B64} > ${SCRIPT_DIR}/build.sh`, `bash ${SCRIPT_DIR}/build.sh`, ...marker];
  const lastOverhead = document(
    title,
    `${title}: part 99 of 99`,
    [`printf %s '' >> ${SCRIPT_B64}`, ...run],
    checks,
  ).length;
  const overhead = Math.max(lastOverhead, 1024) + 256;
  const size = limit - overhead;
  if (size < 1024) throw new RangeError(`component limit ${limit} leaves no room for the script`);
  const chunks = encoded.match(new RegExp(`.{1,${size}}`, 'g')) ?? [];
  return chunks.map((chunk, i) => {
    const first = i === 0;
    const last = i === chunks.length - 1;
    const build = [
      ...(first ? [`mkdir -p ${SCRIPT_DIR}`, `: > ${SCRIPT_B64}`] : []),
      `printf %s '${chunk}' >> ${SCRIPT_B64}`,
      ...(last ? run : []),
    ];
    return document(title, `${title}: part ${i + 1} of ${chunks.length}`, build, last ? checks : undefined);
  });
}
