/**
 * Simulated CloudWatch (JSON 1.0 in awsQueryCompatible mode, PascalCase members): GetMetricData
 * for the `AWS/EC2` metrics idle detection reads (CPUUtilization, NetworkIn, NetworkOut by
 * InstanceId), driven by load profiles set through `POST /_sim/load`.
 */
import type { SimContext, SimService } from '../core/contract.js';
import { setLoad } from './load.js';
import { getMetricData } from './get-metric-data.js';

export type { CloudWatchState, LoadPoint } from './load.js';

/** `POST /_sim/load`: stores the profiles and answers the instance ids they apply to. */
function loadControl(body: unknown, ctx: SimContext): unknown {
  setLoad(ctx.state, body);
  const entries = Array.isArray(body) ? body : [body];
  return { instances: entries.map((e) => (e as { instanceId: string }).instanceId) };
}

/**
 * The CloudWatch service the sim core routes `CloudWatch.*` operations to. Its slice,
 * `state.cloudwatch`, is created on first use (see cloudwatch-load.ts).
 */
export const cloudWatchService: SimService = {
  name: 'CloudWatch',
  operations: { GetMetricData: getMetricData },
  control: { load: loadControl },
};
