/* Generated from schemas/ by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * Prebuilt AMIs of an environment, baked, distributed, rebuilt and retired through EC2 Image Builder. A separate kind from Environment because a lab bakes images of catalog environments it does not own and must say who pays (`project`) and who owns the images (`owner`, who may merge changes to it). Lives under the lab repository's `images/` folder. The environment's version is the Image Builder recipe version: `neuroimaging@1.3.0` builds recipe version 1.3.0; a new environment version builds a new component and recipe, never an update in place.
 */
export interface EnvironmentImage {
  /**
   * Spec format version. Always `labops/v1`.
   */
  apiVersion: 'labops/v1';
  /**
   * Always `EnvironmentImage`.
   */
  kind: 'EnvironmentImage';
  metadata: EnvironmentImageMetadata;
  spec: EnvironmentImageSpec;
}
/**
 * Identity, owner (who may merge changes to it; anyone else needs a Lab admin's approval) and the cost-allocation project that pays for the builds and the images' snapshot storage. Owner and project sit in metadata as for every owned kind, so approvals read them the same way.
 */
export interface EnvironmentImageMetadata {
  /**
   * A DNS-label name: lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit. Unique per kind in the repository.
   */
  name: string;
  /**
   * GitHub login of the person the images belong to; they may merge changes to this file.
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
 * What to bake and where: the environment version, the Regions its AMIs go to, the build instances, how many images to keep and when to rebuild.
 */
export interface EnvironmentImageSpec {
  /**
   * The environment to bake, resolved like a Workstation's (catalog or lab-local, newest version matching the range).
   */
  environment: string;
  /**
   * Regions the AMI is distributed to (the build runs in the first). Each must be one of the Lab's regions. @default every Region the lab's Workstations use, or the Lab's defaultRegion
   *
   * @minItems 1
   * @maxItems 16
   *
   * Items: An AWS region code, e.g. `us-west-2`.
   */
  regions?: [string, ...string[]];
  /**
   * Instance types of the build and test instances (Image Builder picks the first with capacity). Each must be in the price table and allowed by the Lab policy. @default the environment's first recommended type
   *
   * @minItems 1
   * @maxItems 4
   *
   * Items: An EC2 instance type, e.g. `r6i.2xlarge`. It must be in labops' price table and allowed by the Lab policy.
   */
  instanceTypes?: [string, ...string[]];
  /**
   * IAM instance profile of the build instance; its role needs the AWS managed policies EC2InstanceProfileForImageBuilder and AmazonSSMManagedInstanceCore. @default labops-imagebuilder
   */
  instanceProfile?: string;
  /**
   * Images kept per environment version and Region (newest first); older ones are deregistered with their snapshots unless a workstation runs from them or a schedule's restore needs them. @default 2
   */
  keep?: number;
  rebuild?: EnvironmentImageRebuild;
}
/**
 * Rebuild on a timer: when the newest AVAILABLE image of the version is older than `every`, a fresh build (same recipe version, a new build number) picks up OS and package updates.
 */
export interface EnvironmentImageRebuild {
  /**
   * How old the newest image may grow, e.g. `30d`.
   */
  every: string;
}
