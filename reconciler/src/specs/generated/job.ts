/* Generated from schemas/ by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * An AWS Batch job, submitted exactly once per (spec, rerun).
 */
export interface Job {
  /**
   * Spec format version. Always `labops/v1`.
   */
  apiVersion: 'labops/v1';
  /**
   * Always `Job`.
   */
  kind: 'Job';
  metadata: JobMetadata;
  spec: JobSpec;
}
/**
 * Identity, owner and cost-allocation project.
 */
export interface JobMetadata {
  /**
   * A DNS-label name: lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit. Unique per kind in the repository.
   */
  name: string;
  /**
   * GitHub login of the person this belongs to; they may merge changes to it.
   */
  owner: string;
  /**
   * Cost-allocation key: becomes the `labops:project` tag on every resource, which Cost Explorer groups spend by.
   */
  project: string;
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
 * What to run on AWS Batch, where and how often to retry.
 */
export interface JobSpec {
  /**
   * AWS region. @default the Lab's defaultRegion
   */
  region?: string;
  /**
   * An existing Batch job queue, by name or ARN.
   */
  queue: string;
  /**
   * A registered job definition `name:revision`, or an inline container definition that labops registers.
   */
  definition: string | InlineJobDefinition;
  /**
   * Values for `Ref::name` placeholders in the command.
   */
  parameters?: {
    [k: string]: string | undefined;
  };
  /**
   * Array job size (2..10000): that many children, each with AWS_BATCH_JOB_ARRAY_INDEX.
   */
  array?: number;
  /**
   * labops Jobs that must succeed first, linked by Batch job id. Two forms exist: a plain dependency ({ job }) waits for the whole job, except that between two arrays of one size it defaults to N_TO_N; { job, type: N_TO_N } makes child i wait for child i of the other array (both arrays of one size). SEQUENTIAL is not a dependency type: AWS Batch uses it only for an array job's own children, without a job id.
   *
   * @maxItems 20
   */
  dependsOn?: JobDependency[];
  retry?: JobRetry;
  /**
   * Per-attempt time limit, at least 60s, e.g. `6h`.
   */
  timeout?: string;
  /**
   * Bump to submit the same spec again.
   */
  rerun?: number;
}
export interface InlineJobDefinition {
  /**
   * Container image reference.
   */
  image: string;
  /**
   * vCPUs per job (per child for arrays).
   */
  vcpus: number;
  /**
   * Memory in MiB.
   */
  memoryMiB: number;
  /**
   * GPUs.
   */
  gpus?: number;
  /**
   * Command and arguments; `Ref::name` is replaced by the parameter `name`.
   *
   * @maxItems 100
   */
  command?: string[];
  /**
   * Environment variables.
   */
  environment?: {
    [k: string]: string | undefined;
  };
}
export interface JobDependency {
  /**
   * A DNS-label name: lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit. Unique per kind in the repository.
   */
  job: string;
  /**
   * Omit type for a plain dependency on the whole job; N_TO_N (child i waits for child i) needs both jobs to be arrays of one size, and SEQUENTIAL is not a dependency type (AWS Batch uses it only for an array job's own children, without a job id). @default N_TO_N for two arrays of one size, else a plain dependency
   */
  type?: 'N_TO_N';
}
/**
 * How often AWS Batch retries a failed attempt. On a JobQueue with Spot capacity, a Job without `evaluateOnExit` retries Spot reclaims only (status reason `Host EC2*`) and exits on any other failure; without `retry` it gets 3 attempts there.
 */
export interface JobRetry {
  /**
   * Attempts in all (1..10).
   */
  attempts: number;
  /**
   * Batch's retry conditions, tried in order (up to 5): the first that matches decides RETRY or EXIT. Overrides the Spot-reclaim default of a Spot queue.
   *
   * @minItems 1
   * @maxItems 5
   */
  evaluateOnExit?: [JobRetryCondition, ...JobRetryCondition[]];
}
export interface JobRetryCondition {
  /**
   * Glob on the attempt's status reason, e.g. `Host EC2*`.
   */
  onStatusReason?: string;
  /**
   * Glob on the container's reason.
   */
  onReason?: string;
  /**
   * Glob on the exit code, e.g. `137` or `1*`.
   */
  onExitCode?: string;
  /**
   * RETRY or EXIT.
   */
  action: 'RETRY' | 'EXIT';
}
