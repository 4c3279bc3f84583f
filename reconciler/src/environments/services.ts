/**
 * Well-known services: the command each runs by default and what must be installed for it.
 * Every default listens on 127.0.0.1 only; people reach it through SSM port forwarding
 * (`aws ssm start-session --document-name AWS-StartPortForwardingSession`), which is
 * authenticated by IAM, so the web UIs run without their own passwords.
 */
import type { EnvironmentService } from '../specs/types.js';
import type { EnvironmentArchitecture, EnvironmentOs } from './model.js';

/** Pinned release of code-server installed for the `code-server` service. */
export const CODE_SERVER_VERSION = '4.89.1';

/** Pinned release of RStudio Server installed for the `rstudio` service. */
export const RSTUDIO_SERVER_VERSION = '2024.04.2-764';

/** Conda environment prefix every default command runs from. */
export const LAB_PREFIX = '/opt/conda/envs/lab';

/** Where a default service command and its installer come from. */
interface KnownService {
  /** Default command for a port and the unprivileged user sessions run as. */
  command: (port: number, user: string) => string;
  /** Whether the unit runs as root (the server drops privileges itself). */
  runsAsRoot: boolean;
}

const KNOWN_SERVICES: Record<string, KnownService> = {
  jupyterlab: {
    command: (port, user) =>
      `${LAB_PREFIX}/bin/jupyter lab --no-browser --ip=127.0.0.1 --port=${port} --ServerApp.token= --ServerApp.root_dir=/home/${user}`,
    runsAsRoot: false,
  },
  rstudio: {
    command: (port) =>
      `/usr/lib/rstudio-server/bin/rserver --server-daemonize=0 --auth-none=1 --www-address=127.0.0.1 --www-port=${port} --rsession-which-r=${LAB_PREFIX}/bin/R`,
    runsAsRoot: true,
  },
  'code-server': {
    command: (port) => `/usr/bin/code-server --bind-addr 127.0.0.1:${port} --auth none --disable-telemetry`,
    runsAsRoot: false,
  },
  tensorboard: {
    command: (port, user) =>
      `${LAB_PREFIX}/bin/tensorboard --host 127.0.0.1 --port ${port} --logdir /home/${user}/runs`,
    runsAsRoot: false,
  },
  mlflow: {
    command: (port, user) =>
      `${LAB_PREFIX}/bin/mlflow server --host 127.0.0.1 --port ${port} --backend-store-uri /home/${user}/mlruns`,
    runsAsRoot: false,
  },
};

/** Names of the services that need no `command`. */
export const WELL_KNOWN_SERVICES: readonly string[] = Object.keys(KNOWN_SERVICES).sort();

/** The OS's default login user, which services and the conda environment belong to. */
export function defaultUser(os: EnvironmentOs): string {
  switch (os) {
    case 'ubuntu-22.04':
    case 'ubuntu-24.04':
      return 'ubuntu';
    case 'amazonlinux-2023':
      return 'ec2-user';
    case 'rocky-9':
      return 'rocky';
  }
}

/** A service as the renderer writes it: command settled, user decided. */
export interface ServiceUnit {
  /** Unit-safe name; the unit is `labops-<name>.service`. */
  name: string;
  /** TCP port. */
  port: number;
  /** Shell command the unit runs. */
  command: string;
  /** User the unit runs as. */
  user: string;
  /** The OS login user (owner of /opt/conda and the home folder); sessions run as this user. */
  sessionUser: string;
  /** One-line description. */
  description: string;
}

/** The unit for a service, or a message when it has no command and is not well known. */
export function serviceUnit(service: EnvironmentService, os: EnvironmentOs): ServiceUnit | string {
  const known = Object.hasOwn(KNOWN_SERVICES, service.name) ? KNOWN_SERVICES[service.name] : undefined;
  const user = defaultUser(os);
  const command = service.command ?? known?.command(service.port, user);
  if (command === undefined) {
    return `service ${service.name} has no command and is not a well-known service (${WELL_KNOWN_SERVICES.join(', ')})`;
  }
  return {
    name: service.name,
    port: service.port,
    command,
    user: service.command === undefined && known?.runsAsRoot === true ? 'root' : user,
    sessionUser: user,
    description: service.description ?? `${service.name} on 127.0.0.1:${service.port}`,
  };
}

/** Shell lines that install the server binary a well-known service needs, if any. */
export function serviceInstallLines(name: string, os: EnvironmentOs, arch: EnvironmentArchitecture): string[] {
  if (name === 'code-server') {
    return [
      `curl -fsSL https://code-server.dev/install.sh | sh -s -- --method standalone --prefix /usr --version ${CODE_SERVER_VERSION}`,
    ];
  }
  if (name !== 'rstudio') {
    return [];
  }
  const url = rstudioPackageUrl(os, arch);
  if (url === undefined) {
    return [`echo "labops: no RStudio Server ${RSTUDIO_SERVER_VERSION} build for ${os}/${arch}"; false`];
  }
  const file = `/tmp/${url.slice(url.lastIndexOf('/') + 1)}`;
  const installer = os.startsWith('ubuntu') ? `apt-get install -y ${file}` : `dnf install -y ${file}`;
  return [`curl -fsSL -o ${file} ${url}`, installer, 'systemctl disable --now rstudio-server || true'];
}

function rstudioPackageUrl(os: EnvironmentOs, arch: EnvironmentArchitecture): string | undefined {
  if (arch !== 'x86_64') {
    return undefined;
  }
  const base = 'https://download2.rstudio.org/server';
  if (os === 'ubuntu-22.04' || os === 'ubuntu-24.04') {
    return `${base}/jammy/amd64/rstudio-server-${RSTUDIO_SERVER_VERSION}-amd64.deb`;
  }
  if (os === 'rocky-9') {
    return `${base}/rhel9/x86_64/rstudio-server-rhel-${RSTUDIO_SERVER_VERSION}-x86_64.rpm`;
  }
  return undefined;
}
