/**
 * Rendering a resolved environment to EC2 user data: one `#cloud-config` document.
 *
 * Deterministic by construction: no clock, no randomness, no iteration over Maps or Sets;
 * lists keep their declared (merged) order because install order can matter; object keys in
 * the JSON marker are sorted. Every spec string is quoted for its context (see quote.ts).
 *
 * What it does at first boot:
 * - cloud-init `packages` installs the OS packages (apt on Ubuntu, dnf on Amazon Linux and
 *   Rocky; `name=version` pins become `[name, version]`, which cloud-init maps per manager);
 * - writes /etc/labops/environment.json (name, version, lineage, os, workstation, owner),
 *   one systemd unit per service (listening on 127.0.0.1, see services.ts), the idle-metrics
 *   agent (see idle-agent.ts) and the provisioning script (see provision-script.ts);
 * - `runcmd` runs the provisioning script once.
 */
import { IDLE_SCRIPT_PATH, idleAgentScript, idleAgentUnits, type IdleAgentOptions } from './idle-agent.js';
import type { ResolvedEnvironment } from './model.js';
import { mergePackageList } from './package-keys.js';
import { PROVISION_STATUS_FILE, provisionScript } from './provision-script.js';
import { safeName, shellQuote, stableJson, systemdLine, yamlString } from './quote.js';
import { defaultUser, serviceUnit, type ServiceUnit } from './services.js';

/** EC2's limit on user data, in bytes, before base64 encoding. */
export const USER_DATA_LIMIT_BYTES = 16_384;

/** Per-workstation facts added to the rendered user data. */
export interface RenderOptions {
  /** Workstation name, recorded in the marker file. @default undefined (not recorded) */
  workstationName?: string;
  /** Owner's GitHub login, recorded in the marker file. @default undefined (not recorded) */
  owner?: string;
  /** Idle-metrics agent settings; `false` leaves the agent out. @default {} (on, defaults) */
  idleAgent?: IdleAgentOptions | false;
  /** Spack binary cache mirror URL, written to /etc/labops/spack-mirror. @default undefined */
  spackMirror?: string;
}

interface WrittenFile {
  path: string;
  permissions: string;
  content: string;
}

/**
 * The cloud-config for `env`.
 * @throws never for a resolved environment: a service without a command that is not well
 *   known is reported by `resolveEnvironment`; here it is rendered as a failing unit.
 */
export function renderUserData(env: ResolvedEnvironment, options: RenderOptions = {}): string {
  const user = defaultUser(env.os);
  const units = (env.spec.services ?? []).map((service) =>
    toUnit(serviceUnit(service, env.os), service.name, service.port, user),
  );
  const files: WrittenFile[] = [
    { path: '/etc/labops/environment.json', permissions: '0644', content: `${stableJson(marker(env, options))}\n` },
    ...units.flatMap(unitFiles),
    ...idleAgentFiles(env, options),
    {
      path: '/opt/labops/bin/provision.sh',
      permissions: '0755',
      content: provisionScript(env, units, user, options.idleAgent !== false),
    },
  ];
  if (options.spackMirror !== undefined) {
    files.push({
      path: '/etc/labops/spack-mirror',
      permissions: '0644',
      content: `${systemdLine(options.spackMirror)}\n`,
    });
  }
  const lines = [
    '#cloud-config',
    `# labops environment ${env.lineage.map(systemdLine).join(' -> ')}`,
    'package_update: true',
    ...packageLines(env),
    'write_files:',
    ...files.flatMap(fileLines),
    // Every boot after the first prints the provisioning outcome on the console again (runcmd
    // runs once), so `labops status` still sees it after a stop and start.
    'bootcmd:',
    `  - [sh, -c, 'cat ${PROVISION_STATUS_FILE} > /dev/console 2>/dev/null || true']`,
    'runcmd:',
    '  - [/opt/labops/bin/provision.sh]',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The same environment as a shell script for an image build (EC2 Image Builder's build phase):
 * the packages cloud-init would install, the files it would write (each base64-encoded, so no
 * content is ever read as shell), then the provisioning script, whose exit status is the step's.
 * No idle agent (a workstation's own user data adds it at launch) and no per-workstation facts.
 * Deterministic: the same environment renders byte-for-byte the same script.
 */
export function renderImageBuildScript(env: ResolvedEnvironment): string {
  const user = defaultUser(env.os);
  const units = (env.spec.services ?? []).map((service) =>
    toUnit(serviceUnit(service, env.os), service.name, service.port, user),
  );
  const files: WrittenFile[] = [
    { path: '/etc/labops/environment.json', permissions: '0644', content: `${stableJson(marker(env, {}))}\n` },
    ...units.flatMap(unitFiles),
    { path: '/opt/labops/bin/provision.sh', permissions: '0755', content: provisionScript(env, units, user, false) },
  ];
  const implied = (env.spec.packages?.spack ?? []).length > 0 ? ['git'] : [];
  const packages = mergePackageList('apt', env.spec.packages?.apt ?? [], implied).map((p) => shellQuote(p));
  const install = isDebian(env)
    ? [
        'export DEBIAN_FRONTEND=noninteractive',
        'apt-get update',
        ...(packages.length ? [`apt-get install -y ${packages.join(' ')}`] : []),
      ]
    : packages.length
      ? [`dnf install -y ${packages.join(' ')}`]
      : [];
  const writes = files.flatMap((f) => [
    `mkdir -p ${shellQuote(f.path.slice(0, f.path.lastIndexOf('/')))}`,
    `base64 -d > ${shellQuote(f.path)} <<'LABOPS_EOF'`,
    ...(Buffer.from(f.content, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []),
    'LABOPS_EOF',
    `chmod ${f.permissions} ${shellQuote(f.path)}`,
  ]);
  const lines = [
    '#!/bin/bash',
    `# labops image build for ${env.lineage.map(systemdLine).join(' -> ')}`,
    'set -euo pipefail',
    ...install,
    ...writes,
    'systemctl daemon-reload',
    '/opt/labops/bin/provision.sh',
  ];
  return `${lines.join('\n')}\n`;
}

function isDebian(env: ResolvedEnvironment): boolean {
  return env.os.startsWith('ubuntu');
}

function toUnit(result: ServiceUnit | string, name: string, port: number, user: string): ServiceUnit {
  if (typeof result !== 'string') {
    return result;
  }
  return {
    name,
    port,
    user,
    sessionUser: user,
    command: `echo ${shellQuote(`labops: ${result}`)} >&2; exit 1`,
    description: result,
  };
}

function marker(env: ResolvedEnvironment, options: RenderOptions): Record<string, unknown> {
  return {
    name: env.name,
    version: env.version,
    lineage: env.lineage,
    os: env.os,
    architecture: env.architecture,
    services: (env.spec.services ?? []).map((service) => ({ name: service.name, port: service.port })),
    ...(options.workstationName === undefined ? {} : { workstation: options.workstationName }),
    ...(options.owner === undefined ? {} : { owner: options.owner }),
  };
}

function packageLines(env: ResolvedEnvironment): string[] {
  const implied: string[] = [];
  if ((env.spec.packages?.spack ?? []).length > 0) {
    implied.push('git');
  }
  const packages = mergePackageList('apt', env.spec.packages?.apt ?? [], implied);
  if (packages.length === 0) {
    return [];
  }
  const items = packages.map((entry) => {
    const equals = entry.indexOf('=');
    if (equals === -1) {
      return `  - ${yamlString(entry)}`;
    }
    return `  - [${yamlString(entry.slice(0, equals))}, ${yamlString(entry.slice(equals + 1))}]`;
  });
  return ['packages:', ...items];
}

function unitFiles(unit: ServiceUnit): WrittenFile[] {
  const name = safeName(unit.name);
  const script = `/opt/labops/services/${name}.sh`;
  const unitText = [
    '[Unit]',
    `Description=labops ${systemdLine(unit.description)}`,
    'After=network-online.target',
    '[Service]',
    `User=${safeName(unit.user)}`,
    `Environment=USER=${safeName(unit.sessionUser)}`,
    `ExecStart=${script}`,
    'Restart=on-failure',
    'RestartSec=10',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
  return [
    { path: script, permissions: '0755', content: `#!/bin/bash\nexec /bin/bash -lc ${shellQuote(unit.command)}\n` },
    { path: `/etc/systemd/system/labops-${name}.service`, permissions: '0644', content: unitText },
  ];
}

function idleAgentFiles(env: ResolvedEnvironment, options: RenderOptions): WrittenFile[] {
  if (options.idleAgent === false) {
    return [];
  }
  const gpu = env.spec.recommended?.gpu ?? false;
  const units = idleAgentUnits();
  return [
    { path: IDLE_SCRIPT_PATH, permissions: '0755', content: idleAgentScript(options.idleAgent ?? {}, gpu) },
    { path: '/etc/systemd/system/labops-idle-metrics.service', permissions: '0644', content: units.service },
    { path: '/etc/systemd/system/labops-idle-metrics.timer', permissions: '0644', content: units.timer },
  ];
}

function fileLines(file: WrittenFile): string[] {
  const content = file.content.endsWith('\n') ? file.content.slice(0, -1) : file.content;
  return [
    `  - path: ${yamlString(file.path)}`,
    `    permissions: '${file.permissions}'`,
    '    content: |',
    ...content.split('\n').map((line) => (line === '' ? '' : `      ${line}`)),
  ];
}
