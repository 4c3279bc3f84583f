/**
 * Builds the AWS ports from SDK v3 clients the standard way: the SDK's own configuration chain
 * (credentials, `AWS_ENDPOINT_URL`, `AWS_MAX_ATTEMPTS`, …) fills whatever is not given here, so
 * the simulator is reached exactly as AWS is. One client per service per Region, cached, and for
 * EC2, Batch, Budgets and Image Builder a second one whose calls the SDK retries only when throttled (mutations without
 * an idempotency token).
 */
import { BatchClient } from '@aws-sdk/client-batch';
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { EC2ClientConfig } from '@aws-sdk/client-ec2';
import { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import { STSClient } from '@aws-sdk/client-sts';
import { createBatchAdapter } from './batch.js';
import { BUDGETS_REGION, createBudgetsAdapter } from './budgets.js';
import { createEc2Adapter } from './ec2.js';
import { createIdentityAdapter } from './identity.js';
import { createImageBuilderAdapter } from './imagebuilder.js';
import { createMetricsAdapter } from './metrics.js';
import { throttlingRetriesOnly } from './retry-policy.js';
import type { AwsPorts } from './ports.js';

/** Options of {@link createAwsPorts}; anything left out comes from the SDK's configuration chain. */
export interface AwsPortsOptions {
  /** Region of STS and the default for Region-less calls. */
  region: string;
  /** Endpoint URL for every service. @default the SDK's (`AWS_ENDPOINT_URL`, then AWS) */
  endpoint?: string;
  /** Static credentials. @default the SDK's default provider chain */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per call, first included. @default the SDK's (`AWS_MAX_ATTEMPTS`, else 3) */
  maxAttempts?: number;
  /** The SDK retry strategy (tests shorten its delays). @default the SDK's standard strategy */
  retryStrategy?: EC2ClientConfig['retryStrategy'];
}

/** Something holding SDK clients that must be released. */
export interface AwsPortsHandle extends AwsPorts {
  /** Destroys every client made so far. */
  destroy(): void;
}

function clientConfig(options: AwsPortsOptions, region: string): Record<string, unknown> {
  const config: Record<string, unknown> = { region };
  if (options.endpoint !== undefined) config.endpoint = options.endpoint;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  if (options.maxAttempts !== undefined) config.maxAttempts = options.maxAttempts;
  if (options.retryStrategy !== undefined) config.retryStrategy = options.retryStrategy;
  return config;
}

/** Builds the ports, creating each Region's clients on first use. */
export function createAwsPorts(options: AwsPortsOptions): AwsPortsHandle {
  const made: { destroy(): void }[] = [];
  function cache<T extends { destroy(): void }>(make: (region: string) => T): (region: string) => T {
    const clients = new Map<string, T>();
    return (region) => {
      let client = clients.get(region);
      if (client === undefined) {
        client = make(region);
        clients.set(region, client);
        made.push(client);
      }
      return client;
    };
  }
  const ec2 = cache((region) => new EC2Client(clientConfig(options, region)));
  // Mutations without an idempotency token: retried only when throttled (see retry-policy.ts).
  const ec2Once = cache(
    (region) =>
      new EC2Client({
        ...clientConfig(options, region),
        retryStrategy: throttlingRetriesOnly(() => ec2(region).config.retryStrategy()),
      }),
  );
  const cloudwatch = cache((region) => new CloudWatchClient(clientConfig(options, region)));
  const sts = cache((region) => new STSClient(clientConfig(options, region)));
  const batch = cache((region) => new BatchClient(clientConfig(options, region)));
  const batchOnce = cache(
    (region) =>
      new BatchClient({
        ...clientConfig(options, region),
        retryStrategy: throttlingRetriesOnly(() => batch(region).config.retryStrategy()),
      }),
  );
  // AWS Budgets is global: one client in us-east-1 whatever the lab's Region.
  const budgets = cache((region) => new BudgetsClient(clientConfig(options, region)));
  const budgetsOnce = cache(
    (region) =>
      new BudgetsClient({
        ...clientConfig(options, region),
        retryStrategy: throttlingRetriesOnly(() => budgets(region).config.retryStrategy()),
      }),
  );
  const imagebuilder = cache((region) => new ImagebuilderClient(clientConfig(options, region)));
  const imagebuilderOnce = cache(
    (region) =>
      new ImagebuilderClient({
        ...clientConfig(options, region),
        retryStrategy: throttlingRetriesOnly(() => imagebuilder(region).config.retryStrategy()),
      }),
  );
  return {
    ec2: createEc2Adapter(ec2, ec2Once),
    batch: createBatchAdapter(batch, batchOnce),
    budgets: createBudgetsAdapter(budgets(BUDGETS_REGION), budgetsOnce(BUDGETS_REGION)),
    metrics: createMetricsAdapter(cloudwatch),
    identity: createIdentityAdapter(sts(options.region)),
    imageBuilder: createImageBuilderAdapter(imagebuilder, imagebuilderOnce),
    destroy() {
      for (const client of made.splice(0)) client.destroy();
    },
  };
}
