/**
 * The ports the rest of labops depends on for AWS: plain interfaces over model types, so the
 * planner and the executor never import `@aws-sdk/*`. The adapters (ec2.ts, metrics.ts,
 * identity.ts) implement them on SDK v3 clients; every method throws only {@link AwsError}.
 */
import type { AwsBudgetBody, AwsBudgetNotification, DesiredAwsBudget, ObservedAwsBudget } from '../model/aws-budget.js';
import type { ComputeEnvironmentRequest, ObservedBatchQueue, ObservedComputeEnvironment } from '../model/job-queue.js';
import type { BaseImageQuery } from '../model/base-images.js';
import type {
  ComponentRequest,
  DistributionRequest,
  InfrastructureRequest,
  ObservedImageResource,
  RecipeRequest,
} from '../model/environment-image.js';
import type { CopyImageRequest, LaunchRequest } from '../model/launch.js';
import type { InlineDefinition, ObservedJob, ObservedJobQueue, RetryCondition } from '../model/job.js';
import type {
  InstanceState,
  Observed,
  ObservedImage,
  ObservedImageBuild,
  ObservedUtilisation,
  Readiness,
} from '../model/observed.js';
import type { DefaultNetwork } from '../model/network.js';
import type { ObservedSnapshot } from '../model/schedule.js';
import type { CostSource } from '../cost/sources.js';

/** Which images to list in a Region: the lab's own (`self`) or a base OS query. */
export interface ImageQuery {
  region: string;
  query: BaseImageQuery | 'self';
}

/** Options of {@link Ec2Port.observe}. */
export interface ObserveOptions {
  /** Image listings to make (deduplicated by Region and query). */
  images: ImageQuery[];
}

/** What EC2 observation yields: the EC2 part of {@link Observed}. */
export type Ec2Observation = Pick<Observed, 'instances' | 'volumes' | 'images'>;

/** Extra launch settings that come from the deployment, not from the spec. */
export interface LaunchOptions {
  /** Device name of the image's root volume (from DescribeImages `RootDeviceName`). */
  rootDeviceName: string;
  /** IAM instance profile name for SSM Session Manager access. @default none */
  instanceProfile?: string;
  /** Ask for a public IPv4 address. @default false (reach workstations through SSM) */
  publicIp?: boolean;
  /** Device names new data volumes must not take (those of volumes a replace moves over). @default [] */
  reservedDevices?: string[];
}

/** A device of an instance, as a by-id description shows it. */
export interface BlockDevice {
  device: string;
  volumeId: string;
  deleteOnTermination: boolean;
}

/** One instance read by id, for waits and for the steps of replace and destroy. */
export interface InstanceDescription {
  instanceId: string;
  state: InstanceState;
  instanceType: string;
  availabilityZone: string;
  /** ISO-8601 time of the last launch or start. */
  launchTime: string;
  rootDeviceName: string;
  blockDevices: BlockDevice[];
  hibernationConfigured: boolean;
  /** e.g. `Client.UserInitiatedHibernate`. */
  stateReason?: string;
  /** e.g. `Client.UserInitiatedShutdown: User initiated shutdown`. */
  stateReasonMessage?: string;
  /** EC2's `StateTransitionReason`, e.g. `User initiated (2026-12-05 13:00:12 GMT)`; empty while running. */
  stateTransitionReason?: string;
  tags: Record<string, string>;
  /**
   * The ClientToken it was launched with: set by RunInstances and never changed, unlike tags, so
   * it proves which launch made the instance (`labops cleanup` checks it before terminating).
   */
  clientToken?: string;
  /** AWS's clock when it described the instance: the reply's `Date` header (ISO-8601), when it had one. */
  observedAt?: string;
}

/** One volume read by id. */
export interface VolumeDescription {
  volumeId: string;
  /** `creating`, `available`, `in-use`, `deleting`, `deleted`, `error`. */
  state: string;
  availabilityZone: string;
  attachment?: { instanceId: string; device: string; state: string; deleteOnTermination: boolean };
  tags: Record<string, string>;
}

/** One snapshot: id and `pending` / `completed` / `error`. */
export interface SnapshotDescription {
  snapshotId: string;
  volumeId: string;
  state: string;
  tags: Record<string, string>;
}

/** An image read by id: the observed fields plus its root device. */
export interface ImageDescription extends ObservedImage {
  rootDeviceName: string;
}

/**
 * EC2: one bulk observation, by-id reads for waits, and every mutation the executor makes.
 * Every method throws {@link AwsError} (the SDK has already retried throttling and 5xx).
 */
export interface Ec2Port {
  /** Lists this repo's workstations, volumes and the needed images: a few paginated calls per Region. */
  observe(regions: string[], repo: string, options: ObserveOptions): Promise<Ec2Observation>;
  /** @throws {AwsError} `InvalidInstanceID.NotFound` when one is not (yet) visible */
  describeInstances(region: string, instanceIds: string[]): Promise<InstanceDescription[]>;
  /**
   * The instances among `instanceIds` EC2 shows now, each with `observedAt`: DescribeInstances
   * filtered on `instance-id`, 200 ids a call (EC2's limit of filter values), paginated. An id EC2
   * does not show yet (eventual consistency) or any more is absent, never an error for the rest.
   */
  listInstances(region: string, instanceIds: string[]): Promise<InstanceDescription[]>;
  /**
   * Readiness of running instances: status checks (DescribeInstanceStatus) and the provisioning
   * marker on the console (GetConsoleOutput); see ec2-readiness.ts.
   */
  readiness(region: string, instanceIds: string[]): Promise<Record<string, Readiness>>;
  /** @throws {AwsError} `InvalidVolume.NotFound` */
  describeVolumes(region: string, volumeIds: string[]): Promise<VolumeDescription[]>;
  /** Live Workstation instances of any `labops:repo` whose `labops:name` is one of `names` (ids of other labs included). */
  listLabopsNamed(region: string, names: string[]): Promise<InstanceDescription[]>;
  /** Snapshots of a volume carrying all of `tags` (to find one a previous run made). */
  findSnapshots(region: string, volumeId: string, tags: Record<string, string>): Promise<SnapshotDescription[]>;
  /** @throws {AwsError} `InvalidSnapshot.NotFound` */
  describeSnapshot(region: string, snapshotId: string): Promise<SnapshotDescription>;
  /** @throws {AwsError} `InvalidAMIID.NotFound` */
  describeImage(region: string, imageId: string): Promise<ImageDescription>;
  /** RunInstances with MinCount = MaxCount = 1 and the request's ClientToken. */
  launch(request: LaunchRequest, options: LaunchOptions): Promise<{ instanceId: string; availabilityZone: string }>;
  /** StartInstances of one or more instances (AWS starts all or, on an error, none). */
  start(region: string, instanceIds: string[]): Promise<void>;
  /** StopInstances of one or more instances, hibernating when asked (all or, on an error, none). */
  stop(region: string, instanceIds: string[], hibernate?: boolean): Promise<void>;
  modifyInstanceType(region: string, instanceId: string, instanceType: string): Promise<void>;
  terminate(region: string, instanceId: string): Promise<void>;
  createTags(region: string, resourceIds: string[], tags: Record<string, string>): Promise<void>;
  deleteTags(region: string, resourceIds: string[], keys: string[]): Promise<void>;
  createSnapshot(region: string, volumeId: string, tags: Record<string, string>, description?: string): Promise<string>;
  detachVolume(region: string, volumeId: string, instanceId: string): Promise<void>;
  attachVolume(region: string, volumeId: string, instanceId: string, device: string): Promise<void>;
  deleteVolume(region: string, volumeId: string): Promise<void>;
  /** CopyImage in the destination Region with the request's ClientToken. */
  copyImage(request: CopyImageRequest): Promise<string>;
  /** Snapshots SnapshotSchedules of this repo made: one paginated, tag-filtered DescribeSnapshots per Region. */
  observeSnapshots(regions: string[], repo: string): Promise<ObservedSnapshot[]>;
  /** Own snapshots in a Region carrying all of `tags`. */
  listSnapshots(region: string, tags: Record<string, string>): Promise<ObservedSnapshot[]>;
  /** Own images in a Region carrying all of `tags`. */
  findImages(region: string, tags: Record<string, string>): Promise<ImageDescription[]>;
  /** CreateImage with NoReboot (crash-consistent, the instance keeps running); tags image and snapshots. */
  createImage(region: string, instanceId: string, name: string, tags: Record<string, string>): Promise<string>;
  /** CopySnapshot, called in the destination Region, encrypted, tagged. */
  copySnapshot(
    region: string,
    sourceRegion: string,
    sourceSnapshotId: string,
    tags: Record<string, string>,
    description: string,
  ): Promise<string>;
  /** @throws {AwsError} `InvalidSnapshot.InUse` while an image uses it */
  deleteSnapshot(region: string, snapshotId: string): Promise<void>;
  /** DeregisterImage, then its snapshots go too (DeleteAssociatedSnapshots). */
  deregisterImage(region: string, imageId: string): Promise<void>;
  /**
   * The Region's default VPC, its default subnets (sorted by Availability Zone) and its `default`
   * security group: DescribeVpcs, then DescribeSubnets and DescribeSecurityGroups (aws/ec2-network.ts).
   * @returns null when the Region has no default VPC
   */
  defaultNetwork(region: string): Promise<DefaultNetwork | null>;
}

/** A job definition revision, as DescribeJobDefinitions shows it. */
export interface JobDefinitionDescription {
  name: string;
  revision: number;
  status: string;
  /** The container part in labops' terms (for comparing with an inline definition). */
  container: InlineDefinition;
  tags: Record<string, string>;
}

/** SubmitJob's input in labops' terms. */
export interface SubmitJobRequest {
  region: string;
  queue: string;
  jobName: string;
  /** `name:revision`. */
  definition: string;
  parameters: Record<string, string>;
  arraySize?: number;
  dependsOn: { jobId: string; type?: 'N_TO_N' }[];
  retryAttempts?: number;
  evaluateOnExit?: RetryCondition[];
  timeoutSeconds?: number;
  tags: Record<string, string>;
}

/**
 * AWS Batch: job definitions, submission, reads and stops. Every method throws {@link AwsError}.
 */
export interface BatchPort {
  /** Every job queue of a Region: DescribeJobQueues, 100 a page, paginated. */
  describeJobQueues(region: string): Promise<ObservedJobQueue[]>;
  /** DescribeJobs in chunks of 100 ids; ids Batch no longer knows are simply absent. */
  describeJobs(region: string, jobIds: string[]): Promise<ObservedJob[]>;
  /** Every job of a queue with this exact name, any status (ListJobs JOB_NAME filter), described with tags. */
  findJobs(region: string, queue: string, jobName: string): Promise<ObservedJob[]>;
  /** ACTIVE revisions of a job definition name. */
  findDefinitions(region: string, name: string): Promise<JobDefinitionDescription[]>;
  /** RegisterJobDefinition (container, EC2). @returns `name:revision` */
  registerDefinition(
    region: string,
    name: string,
    container: InlineDefinition,
    tags: Record<string, string>,
  ): Promise<string>;
  /** SubmitJob (propagateTags on). */
  submitJob(request: SubmitJobRequest): Promise<{ jobId: string; jobName: string }>;
  /** CancelJob: stops a job before it starts (SUBMITTED, PENDING, RUNNABLE). */
  cancelJob(region: string, jobId: string, reason: string): Promise<void>;
  /** TerminateJob: stops a STARTING or RUNNING job too. */
  terminateJob(region: string, jobId: string, reason: string): Promise<void>;
  /**
   * The instance types a queue's EC2 and Spot compute environments may launch (their
   * `instanceTypes`, `optimal` where one names none): DescribeJobQueues, then
   * DescribeComputeEnvironments. Empty when the queue or its environments are gone (or Fargate).
   */
  queueInstanceTypes(region: string, queue: string): Promise<string[]>;
  /** Every compute environment of a Region, with tags: DescribeComputeEnvironments, paginated. */
  describeComputeEnvironments(region: string): Promise<ObservedComputeEnvironment[]>;
  /** Every job queue of a Region with priority, order and tags: DescribeJobQueues, paginated. */
  describeBatchQueues(region: string): Promise<ObservedBatchQueue[]>;
  /**
   * CreateComputeEnvironment (MANAGED, ENABLED). Batch takes no idempotency token: one that
   * already exists under the name is looked up instead. @returns its ARN
   */
  createComputeEnvironment(region: string, request: ComputeEnvironmentRequest): Promise<string>;
  /** UpdateComputeEnvironment: vCPU bounds and/or state. */
  updateComputeEnvironment(
    region: string,
    name: string,
    change: { maxVcpus?: number; minVcpus?: number; state?: 'ENABLED' | 'DISABLED' },
  ): Promise<void>;
  /** DeleteComputeEnvironment (it must be DISABLED and in no queue). */
  deleteComputeEnvironment(region: string, name: string): Promise<void>;
  /** CreateJobQueue on compute environments (by name, in order); one that already exists is looked up instead. @returns its ARN */
  createJobQueue(region: string, request: JobQueueRequest): Promise<string>;
  /** UpdateJobQueue: priority, state and/or compute environment order (names). */
  updateJobQueue(
    region: string,
    name: string,
    change: { priority?: number; state?: 'ENABLED' | 'DISABLED'; order?: string[] },
  ): Promise<void>;
  /** DeleteJobQueue (it must be DISABLED). */
  deleteJobQueue(region: string, name: string): Promise<void>;
  /** How many jobs of a queue wait for or use capacity (SUBMITTED … RUNNING): ListJobs per status, paginated. */
  countActiveJobs(region: string, queue: string): Promise<number>;
  /** The ids of a queue's RUNNING jobs (array children included): one ListJobs, paginated. */
  runningJobIds(region: string, queue: string): Promise<string[]>;
  /** TagResource on a compute environment, job queue or job ARN (adds or overwrites these tags). */
  tagResource(region: string, arn: string, tags: Record<string, string>): Promise<void>;
}

/** CreateJobQueue's request. */
export interface JobQueueRequest {
  name: string;
  priority: number;
  state: 'ENABLED' | 'DISABLED';
  /** Compute environment names, in order. */
  order: string[];
  tags: Record<string, string>;
}

/** One instance whose CPU to read, with its idle threshold. */
export interface UtilisationQuery {
  instanceId: string;
  region: string;
  /** Datapoints below this average CPU percent count as idle. */
  cpuBelowPercent: number;
  /** How far back to look, in seconds (the idle policy's `afterSeconds`); one period of margin is added. */
  windowSeconds: number;
}

/** CloudWatch: CPU utilisation of many instances, one GetMetricData call per Region per 500 instances. */
export interface MetricsPort {
  utilisation(queries: UtilisationQuery[], now: Date): Promise<Record<string, ObservedUtilisation>>;
}

/** STS: whose credentials these are. */
export interface IdentityPort {
  accountId(): Promise<string>;
}

/**
 * AWS Budgets (global; its endpoint is in us-east-1): the budgets labops mirrors Budget specs into,
 * read and changed by name. Every call takes the account id, as the Budgets API does.
 */
export interface BudgetsPort {
  /**
   * Budgets whose name starts with `prefix`, each with its tags, notifications and their email
   * subscribers: DescribeBudgets (paginated), then for each budget of that prefix
   * ListTagsForResource and DescribeNotificationsForBudget, and DescribeSubscribersForNotification
   * per notification of a budget tagged with `ownedBy` (the others are never changed: not read further).
   */
  observe(accountId: string, prefix: string, ownedBy: string): Promise<ObservedAwsBudget[]>;
  /** CreateBudget with its notifications, subscribers and tags in one call. */
  create(accountId: string, budget: DesiredAwsBudget): Promise<void>;
  /** UpdateBudget: limit, period and filter (notifications are left as they are). */
  update(accountId: string, body: AwsBudgetBody): Promise<void>;
  /** CreateNotification with its subscribers. */
  createNotification(accountId: string, name: string, notification: AwsBudgetNotification): Promise<void>;
  /** DeleteNotification (its subscribers go with it). */
  deleteNotification(accountId: string, name: string, notification: AwsBudgetNotification): Promise<void>;
  /** CreateSubscriber (EMAIL) on a notification. */
  createSubscriber(accountId: string, name: string, notification: AwsBudgetNotification, email: string): Promise<void>;
  /** DeleteSubscriber (EMAIL) from a notification. */
  deleteSubscriber(accountId: string, name: string, notification: AwsBudgetNotification, email: string): Promise<void>;
  /** ListTagsForResource of the budget named. */
  tags(accountId: string, name: string): Promise<Record<string, string>>;
  /** DeleteBudget (its notifications and subscribers go with it). */
  delete(accountId: string, name: string): Promise<void>;
}

/** The ports built by `createAwsPorts`. */
export interface AwsPorts {
  ec2: Ec2Port;
  batch: BatchPort;
  budgets: BudgetsPort;
  metrics: MetricsPort;
  identity: IdentityPort;
  /** EC2 Image Builder, for EnvironmentImages. @default undefined (a lab declaring one then fails to observe) */
  imageBuilder?: ImageBuilderPort;
}

/** One image build as Image Builder lists it (ListImageBuildVersions / GetImage), with its tags. */
export interface ListedImageBuild extends Omit<ObservedImageBuild, 'environment'> {
  /** The image (= recipe) name. */
  name: string;
  /** `1.2.0/3`: the recipe version and build number. */
  version: string;
  tags: Record<string, string>;
}

/** What a CreateImage needs: the resources by ARN, the build's tags and its idempotency token. */
export interface CreateImageRequest {
  recipeArn: string;
  infrastructureArn: string;
  distributionArn: string;
  tags: Record<string, string>;
  clientToken: string;
}

/**
 * EC2 Image Builder: the components, recipes and configurations an EnvironmentImage needs, its
 * builds, and their deletion. Every list paginates and keeps only names starting with `prefix`
 * (this repository's, see model/environment-image.ts); tags come with every resource so callers
 * check ownership. Creates carry client tokens: a retry returns the first create's resource.
 */
export interface ImageBuilderPort {
  /** Components (each version), recipes, infrastructure and distribution configurations named `prefix…`, owned by this account. */
  listResources(region: string, prefix: string): Promise<ObservedImageResource[]>;
  /** Every build (each build version) of images named `prefix…`, owned by this account. */
  listBuilds(region: string, prefix: string): Promise<ListedImageBuild[]>;
  /** One build, read again (GetImage). */
  getBuild(region: string, arn: string): Promise<ListedImageBuild>;
  /** @returns the component build version ARN */
  createComponent(region: string, request: ComponentRequest): Promise<string>;
  /** @returns the recipe ARN */
  createRecipe(region: string, request: RecipeRequest, componentArns: string[]): Promise<string>;
  /** @returns the infrastructure configuration ARN */
  createInfrastructure(region: string, request: InfrastructureRequest): Promise<string>;
  /** @returns the distribution configuration ARN */
  createDistribution(region: string, request: DistributionRequest): Promise<string>;
  /** Starts a build. @returns the image build version ARN */
  createImage(region: string, request: CreateImageRequest): Promise<string>;
  /** Deletes a build version's Image Builder record (its AMIs must be deregistered first: Image Builder does not). */
  deleteImage(region: string, arn: string): Promise<void>;
  tagResource(region: string, arn: string, tags: Record<string, string>): Promise<void>;
}

/** Daily cost per tag value over `[start, end)` (dates `YYYY-MM-DD`, UTC days, End exclusive). */
export interface CostQuery {
  start: string;
  end: string;
  /** The cost allocation tag to group by. */
  tagKey: string;
}

/** GetCostAndUsage's answer in labops' terms. */
export interface DailyCosts {
  /** tag value → date → USD; untagged spend is under the empty string. */
  dailyByTag: Record<string, Record<string, number>>;
  /** The same split by source (cost/sources.ts, from the usage type): tag value → source → date → USD. */
  dailyByTagSource: Record<string, Partial<Record<CostSource, Record<string, number>>>>;
  /** Dates Cost Explorer marked `Estimated` (not yet final). */
  estimatedDates: string[];
  /** Requests sent (each page, and each retry of it: AWS bills every request). */
  calls: number;
}

/** A forecast of one tag value's spend over `[start, end)`; `start` must not be before today (UTC). */
export interface ForecastQuery extends CostQuery {
  tagValue: string;
}

/** GetCostForecast's answer: mean and the 80% prediction interval. */
export interface CostForecast {
  meanUSD: number;
  lowUSD?: number;
  highUSD?: number;
}

/** Cost Explorer as labops uses it. Every method throws {@link AwsError}. Built by `createCostsPort` (costs.ts): Cost Explorer is one global endpoint. */
export interface CostsPort {
  /** One GetCostAndUsage (DAILY, UnblendedCost, GroupBy TAG and USAGE_TYPE), following NextPageToken. */
  dailyCosts(query: CostQuery): Promise<DailyCosts>;
  /** One GetCostForecast (UNBLENDED_COST, DAILY up to 93 days, else MONTHLY) filtered to one tag value. */
  forecast(query: ForecastQuery): Promise<CostForecast>;
  /** Requests sent through this port so far, every SDK retry included ($0.01 each), failed ones too. */
  requestsSent(): number;
}
