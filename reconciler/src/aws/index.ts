/**
 * The AWS adapters: ports (the interfaces the rest of labops uses), the factory that builds
 * them from SDK v3 clients, and the typed error every adapter throws.
 */
export { AwsError, hasAwsCode, toAwsError } from './errors.js';
export type { AwsErrorCode, KnownAwsCode } from './errors.js';
export { createAwsPorts } from './factory.js';
export type { AwsPortsHandle, AwsPortsOptions } from './factory.js';
export { createCostsAdapter, createCostsPort } from './costs.js';
export type { CostsPortHandle } from './costs.js';
export { createEc2Adapter } from './ec2.js';
export { createIdentityAdapter } from './identity.js';
export { createMetricsAdapter, idleStretch } from './metrics.js';
export type * from './ports.js';
