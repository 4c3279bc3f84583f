/* Generated from schemas/ by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * A research software environment: OS, packages, services and prebuilt images. Renders deterministically to cloud-init user data.
 */
export interface Environment {
  /**
   * Spec format version. Always `labops/v1`.
   */
  apiVersion: 'labops/v1';
  /**
   * Always `Environment`.
   */
  kind: 'Environment';
  metadata: EnvironmentMetadata;
  spec: EnvironmentSpec;
}
/**
 * Identity and version of the environment.
 */
export interface EnvironmentMetadata {
  /**
   * A DNS-label name: lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit. Unique per kind in the repository.
   */
  name: string;
  /**
   * Semantic version of this environment, e.g. `1.2.0`.
   */
  version: string;
  /**
   * One line on what it holds.
   */
  description?: string;
  labels?: Labels;
}
/**
 * Free-form string labels, used by SnapshotSchedule selectors and copied to resource tags as `labops:label:KEY`. Keys: lowercase letters, digits, `-`, `_` and `.`, so never the reserved `aws:` or `labops:` prefixes. Values: what an AWS tag value allows (letters, digits, spaces and `_ . : / = + - @`, at most 256 characters), so no control or bidirectional-override characters.
 */
export interface Labels {
  /**
   * A label value must be a valid AWS tag value: letters, digits, spaces and `_ . : / = + - @` only.
   */
  [k: string]: string | undefined;
}
/**
 * What the environment installs and runs.
 */
export interface EnvironmentSpec {
  /**
   * Parent environment with optional semver range, e.g. `base-ubuntu@^1`. Lists are appended and de-duplicated, maps merged, this environment wins on scalars.
   */
  inherits?: string;
  /**
   * Base operating system (required here or in a parent).
   */
  os?: 'ubuntu-22.04' | 'ubuntu-24.04' | 'amazonlinux-2023' | 'rocky-9';
  /**
   * CPU architecture. @default x86_64
   */
  architecture?: 'x86_64' | 'arm64';
  packages?: EnvironmentPackages;
  /**
   * Long-running services, each run as a systemd unit.
   *
   * @maxItems 20
   */
  services?: EnvironmentService[];
  recommended?: EnvironmentRecommendation;
  /**
   * Prebuilt AMIs per region: launch in seconds instead of minutes.
   */
  images?: {
    /**
     * An EC2 image id, e.g. `ami-0123456789abcdef0`.
     */
    [k: string]: string | undefined;
  };
}
/**
 * Software to install, by package manager.
 */
export interface EnvironmentPackages {
  /**
   * OS packages (apt on Ubuntu, dnf on Amazon Linux / Rocky), optionally pinned `name=version`.
   *
   * @maxItems 500
   *
   * Items: A package name, optionally pinned `name=version`; letters, digits and `+._-` only.
   */
  apt?: string[];
  conda?: CondaPackages;
  /**
   * Spack specs, e.g. `fsl@6.0.5`, `gromacs@2024.1 +cuda`.
   *
   * @maxItems 200
   *
   * Items: A spack spec: a package name with an optional `@version` and variants, e.g. `gromacs@2024.1 +cuda`.
   */
  spack?: string[];
  /**
   * pip requirements into the `lab` environment, e.g. `nibabel==5.2.1`.
   *
   * @maxItems 500
   *
   * Items: A pip requirement: a name, optional extras and an optional version pin, e.g. `nibabel==5.2.1`.
   */
  pip?: string[];
  /**
   * Container images pulled at first boot.
   *
   * @maxItems 50
   *
   * Items: A container image reference, e.g. `docker.io/nipreps/fmriprep:23.2.1`.
   */
  containers?: string[];
}
/**
 * Packages installed with micromamba into the `lab` environment.
 */
export interface CondaPackages {
  /**
   * Channels searched in order, e.g. `conda-forge`, `bioconda`.
   *
   * @maxItems 20
   *
   * Items: A channel name, e.g. `conda-forge`.
   */
  channels?: string[];
  /**
   * Conda packages, optionally pinned, e.g. `python=3.11`, `numpy>=1.26`.
   *
   * @maxItems 500
   *
   * Items: A conda package spec: a name and an optional `=`, `==`, `>=` or `<=` version.
   */
  packages?: string[];
}
export interface EnvironmentService {
  /**
   * A DNS-label name: lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit. Unique per kind in the repository.
   */
  name: string;
  /**
   * TCP port on the instance (reached through SSM port forwarding unless the network allows it).
   */
  port: number;
  /**
   * Command the unit runs. @default a known command for well-known service names (jupyterlab, rstudio, code-server, ...)
   */
  command?: string;
  /**
   * What the service is, shown by `labops env show`.
   */
  description?: string;
}
/**
 * What the environment runs well on; validation checks workstations against it.
 */
export interface EnvironmentRecommendation {
  /**
   * Instance types it is sized for.
   *
   * @maxItems 20
   *
   * Items: An EC2 instance type, e.g. `r6i.2xlarge`. It must be in labops' price table and allowed by the Lab policy.
   */
  instanceTypes?: string[];
  /**
   * Smallest root volume that holds the installed software, in GiB.
   */
  minRootGiB?: number;
  /**
   * Whether it needs a GPU instance.
   */
  gpu?: boolean;
}
