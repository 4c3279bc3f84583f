/**
 * The first-boot provisioning script (run once by cloud-init `runcmd`). Each step runs in a
 * subshell with `set -e`; a failed step is logged and the remaining steps still run, so a
 * spack build failure does not take JupyterLab down with it. Step order: SSM agent, conda,
 * pip, service installers, services on, container pulls, spack (slowest last). Within a step,
 * packages keep their declared order, since install order can matter.
 */
import type { ResolvedEnvironment } from './model.js';
import { shellQuote } from './quote.js';
import { LAB_PREFIX, serviceInstallLines, type ServiceUnit } from './services.js';

/** Pinned micromamba release (github.com/mamba-org/micromamba-releases). */
export const MICROMAMBA_VERSION = '1.5.8-0';

/** Pinned spack release tag cloned into /opt/spack. */
export const SPACK_VERSION = 'v0.22.2';

/**
 * The line the script prints on the instance's console when it ends (and cloud-init's bootcmd
 * again at every later boot): `labops-provision: ready after 312s` or
 * `labops-provision: failed after 1804s: spack` — seconds since boot, then failed steps.
 */
export const PROVISION_MARKER = 'labops-provision:';

/** Where the script keeps its marker line for later boots to print again. */
export const PROVISION_STATUS_FILE = '/etc/labops/provision-status';

/**
 * What the marker says after the seconds when an instance booted from a built environment image
 * (`labops-provision: ready after 41s (image)`): nothing was provisioned at boot, the seconds are
 * the boot's own, until systemd reached multi-user.
 */
export const IMAGE_BOOT_SUFFIX = '(image)';

/** The systemd unit a built environment image prints the marker with at every boot (it has no user data). */
export const IMAGE_MARKER_UNIT = 'labops-provision-marker.service';

/**
 * Shell lines, run at the end of an image build, that install and enable {@link IMAGE_MARKER_UNIT}:
 * an instance launched from the image runs no provisioning script and no cloud-init bootcmd of
 * labops', so without it `labops status` would read it as provisioning forever.
 */
export function imageMarkerUnitLines(): string[] {
  const unit = [
    '[Unit]',
    'Description=labops: print the environment readiness marker on the console',
    'After=multi-user.target',
    '[Service]',
    'Type=oneshot',
    // systemd expands `$NAME` in ExecStart itself ("To pass a literal dollar sign, use $$"), so the
    // shell's command substitution is written `$$(…)`.
    `ExecStart=/bin/sh -c 'echo "${PROVISION_MARKER} ready after $$(cut -d. -f1 /proc/uptime)s ${IMAGE_BOOT_SUFFIX}" > /dev/console'`,
    '[Install]',
    'WantedBy=multi-user.target',
  ];
  return [
    `printf '%s\\n' ${unit.map(shellQuote).join(' ')} > /etc/systemd/system/${IMAGE_MARKER_UNIT}`,
    `systemctl enable ${IMAGE_MARKER_UNIT}`,
  ];
}

/** A named block of shell lines run as one step. */
interface Step {
  name: string;
  lines: string[];
}

/** The whole provisioning script. */
export function provisionScript(
  env: ResolvedEnvironment,
  units: readonly ServiceUnit[],
  user: string,
  idleAgent: boolean,
): string {
  const steps = [
    ssmStep(env),
    condaStep(env, user),
    pipStep(env),
    serviceInstallStep(env, units),
    servicesOnStep(units),
    containerStep(env, user),
    spackStep(env),
  ].filter((step): step is Step => step !== undefined);
  const header = [
    '#!/bin/bash',
    `# labops first-boot provisioning for ${env.name}@${env.version}; log: /var/log/labops-provision.log`,
    'set -uo pipefail',
    'exec >>/var/log/labops-provision.log 2>&1',
    'export HOME=/root MAMBA_ROOT_PREFIX=/opt/conda',
    'failed=""',
    'run() { echo "labops: step $1"; "$1"; rc=$?; [ $rc -eq 0 ] || { echo "labops: step $1 failed ($rc)"; failed="$failed $1"; }; }',
  ];
  const body = steps.flatMap((step) => [`${step.name}() (`, '  set -e', ...step.lines.map((line) => `  ${line}`), ')']);
  const footer = [
    ...steps.map((step) => `run ${step.name}`),
    ...(idleAgent ? ['systemctl enable --now labops-idle-metrics.timer || failed="$failed idle_metrics"'] : []),
    'printf \'{"failedSteps":"%s"}\\n\' "${failed# }" > /etc/labops/provisioned.json',
    // The readiness marker `labops status` reads with GetConsoleOutput: the serial console is
    // the one place EC2 shows what an instance printed, without any permission on the instance.
    'up=$(cut -d. -f1 /proc/uptime)',
    `if [ -z "$failed" ]; then marker="${PROVISION_MARKER} ready after \${up}s"; else marker="${PROVISION_MARKER} failed after \${up}s:$failed"; fi`,
    `echo "$marker" > ${PROVISION_STATUS_FILE}`,
    'echo "$marker" > /dev/console 2>/dev/null || true',
    '[ -z "$failed" ]',
  ];
  return `${[...header, ...body, ...footer].join('\n')}\n`;
}

function isUbuntu(env: ResolvedEnvironment): boolean {
  return env.os.startsWith('ubuntu');
}

function ssmStep(env: ResolvedEnvironment): Step | undefined {
  if (env.os === 'amazonlinux-2023') {
    return undefined;
  }
  if (isUbuntu(env)) {
    return {
      name: 'ssm_agent',
      lines: ['snap list amazon-ssm-agent >/dev/null 2>&1 || snap install amazon-ssm-agent --classic'],
    };
  }
  const arch = env.architecture === 'arm64' ? 'linux_arm64' : 'linux_amd64';
  return {
    name: 'ssm_agent',
    lines: [
      `rpm -q amazon-ssm-agent || dnf install -y https://s3.amazonaws.com/ec2-downloads-windows/SSMAgent/latest/${arch}/amazon-ssm-agent.rpm`,
      'systemctl enable --now amazon-ssm-agent',
    ],
  };
}

function condaStep(env: ResolvedEnvironment, user: string): Step | undefined {
  const conda = env.spec.packages?.conda;
  const packages = conda?.packages ?? [];
  if (packages.length === 0 && (env.spec.packages?.pip ?? []).length === 0) {
    return undefined;
  }
  const platform = env.architecture === 'arm64' ? 'linux-aarch64' : 'linux-64';
  const channels = (conda?.channels ?? ['conda-forge']).map((channel) => `-c ${shellQuote(channel)}`).join(' ');
  const pipSeed = packages.some((entry) => /^(python|pip)([=<>!]|$)/.test(entry)) ? [] : ['python', 'pip'];
  return {
    name: 'conda_env',
    lines: [
      `curl -fsSL -o /usr/local/bin/micromamba https://github.com/mamba-org/micromamba-releases/releases/download/${MICROMAMBA_VERSION}/micromamba-${platform}`,
      'chmod 0755 /usr/local/bin/micromamba',
      `micromamba create -y -n lab --strict-channel-priority ${channels} \\`,
      ...continued([...pipSeed, ...packages].map(shellQuote)),
      `chown -R ${shellQuote(user)}: /opt/conda`,
      `echo 'export PATH=${LAB_PREFIX}/bin:$PATH' > /etc/profile.d/labops-conda.sh`,
    ],
  };
}

function pipStep(env: ResolvedEnvironment): Step | undefined {
  const pip = env.spec.packages?.pip ?? [];
  if (pip.length === 0) {
    return undefined;
  }
  return {
    name: 'pip_packages',
    lines: [`${LAB_PREFIX}/bin/python -m pip install --no-cache-dir \\`, ...continued(pip.map(shellQuote))],
  };
}

function serviceInstallStep(env: ResolvedEnvironment, units: readonly ServiceUnit[]): Step | undefined {
  const lines = units.flatMap((unit) => serviceInstallLines(unit.name, env.os, env.architecture));
  return lines.length === 0 ? undefined : { name: 'service_installs', lines };
}

function servicesOnStep(units: readonly ServiceUnit[]): Step | undefined {
  if (units.length === 0) {
    return undefined;
  }
  return {
    name: 'services_on',
    lines: [
      'systemctl daemon-reload',
      `systemctl enable --now ${units.map((unit) => `labops-${unit.name}.service`).join(' ')}`,
    ],
  };
}

function containerStep(env: ResolvedEnvironment, user: string): Step | undefined {
  const images = env.spec.packages?.containers ?? [];
  if (images.length === 0) {
    return undefined;
  }
  const runtime = env.os === 'rocky-9' ? 'podman' : 'docker';
  const setup =
    runtime === 'podman'
      ? ['command -v podman || dnf install -y podman']
      : [
          `command -v docker || ${isUbuntu(env) ? 'apt-get install -y docker.io' : 'dnf install -y docker'}`,
          'systemctl enable --now docker',
          `usermod -aG docker ${shellQuote(user)}`,
        ];
  return {
    name: 'containers',
    lines: [...setup, ...images.map((image) => `${runtime} pull ${shellQuote(image)}`)],
  };
}

function spackStep(env: ResolvedEnvironment): Step | undefined {
  const specs = env.spec.packages?.spack ?? [];
  if (specs.length === 0) {
    return undefined;
  }
  return {
    name: 'spack',
    lines: [
      `[ -d /opt/spack ] || git clone --depth=1 --branch ${SPACK_VERSION} https://github.com/spack/spack.git /opt/spack`,
      '. /opt/spack/share/spack/setup-env.sh',
      'if [ -s /etc/labops/spack-mirror ]; then',
      '  spack mirror add --unsigned labops "$(head -n 1 /etc/labops/spack-mirror)"',
      'fi',
      'spack compiler find',
      ...specs.map((spec) => `spack install --fail-fast ${shellQuote(spec)}`),
      "echo '. /opt/spack/share/spack/setup-env.sh' > /etc/profile.d/labops-spack.sh",
    ],
  };
}

/** Continuation lines for a long command: one word per line, ` \` between them. */
function continued(words: readonly string[]): string[] {
  return words.map((word, index) => `  ${word}${index === words.length - 1 ? '' : ' \\'}`);
}
