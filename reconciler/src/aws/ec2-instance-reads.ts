/**
 * Reading many instances by id in few calls: DescribeInstances filtered on `instance-id`, not
 * given `InstanceIds`. AWS answers a list of ids with one it does not know (yet: eventual
 * consistency right after RunInstances) by failing the whole call with
 * InvalidInstanceID.NotFound; a filter simply leaves that instance out, and can be paginated as
 * AWS recommends ("We strongly recommend using only paginated requests"), which InstanceIds
 * cannot (MaxResults is refused beside it). EC2 takes at most 200 values per filter in one call
 * (its FilterLimitExceeded answer: "The maximum number of filter values specified on a single call
 * is 200"), so ids go 200 to a call.
 */
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import type { EC2Client, Filter } from '@aws-sdk/client-ec2';
import { awsCall } from './errors.js';
import { describeInstance } from './ec2-normalise.js';
import type { InstanceDescription } from './ports.js';
import { replyDate } from './reply-date.js';

/** Most values EC2 accepts in the filters of one call. */
export const FILTER_VALUES_PER_CALL = 200;
/** Largest DescribeInstances page (AWS's MaxResults cap). */
const PAGE = 1000;

/** One call's worth of ids (≤ 200), every page of it. */
function listChunk(client: EC2Client, ids: string[]): Promise<InstanceDescription[]> {
  return listFiltered(client, [{ Name: 'instance-id', Values: ids }], ids.join(','));
}

/**
 * Every instance the filters match (each filter ≤ 200 values), every page, each with `observedAt`.
 * @throws {AwsError} when a call fails
 */
export async function listFiltered(client: EC2Client, filters: Filter[], what: string): Promise<InstanceDescription[]> {
  const out: InstanceDescription[] = [];
  let token: string | undefined;
  do {
    const command = new DescribeInstancesCommand({
      Filters: filters,
      MaxResults: PAGE,
      ...(token === undefined ? {} : { NextToken: token }),
    });
    const clock = replyDate(command);
    const page = await awsCall('DescribeInstances', what, () => client.send(command));
    const observedAt = clock();
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? [])
        out.push({ ...describeInstance(instance), ...(observedAt === undefined ? {} : { observedAt }) });
    }
    token = page.NextToken === '' ? undefined : page.NextToken;
  } while (token !== undefined);
  return out;
}

/**
 * The instances among `instanceIds` EC2 shows now, each with `observedAt` (its reply's `Date`);
 * an id EC2 does not show (not yet, or no longer) is absent. One call per 200 ids, in order.
 * @throws {AwsError} from the first call that fails
 */
export async function listInstancesById(client: EC2Client, instanceIds: string[]): Promise<InstanceDescription[]> {
  const unique = [...new Set(instanceIds)];
  const out: InstanceDescription[] = [];
  for (let i = 0; i < unique.length; i += FILTER_VALUES_PER_CALL)
    out.push(...(await listChunk(client, unique.slice(i, i + FILTER_VALUES_PER_CALL))));
  return out;
}

/**
 * Live instances (not terminated or shutting down) that carry a `labops:repo` tag of any value
 * and, as `labops:name`, one of `names`: what a lab looks for to find its own workstations made
 * under another id. One paginated call per 200 names.
 * @throws {AwsError} from the first call that fails
 */
export async function listLabopsNamed(client: EC2Client, names: string[]): Promise<InstanceDescription[]> {
  const unique = [...new Set(names)];
  const out: InstanceDescription[] = [];
  for (let i = 0; i < unique.length; i += FILTER_VALUES_PER_CALL) {
    const chunk = unique.slice(i, i + FILTER_VALUES_PER_CALL);
    out.push(
      ...(await listFiltered(
        client,
        [
          { Name: 'tag-key', Values: ['labops:repo'] },
          { Name: 'tag:labops:kind', Values: ['Workstation'] },
          { Name: 'tag:labops:name', Values: chunk },
          { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
        ],
        chunk.join(','),
      )),
    );
  }
  return out;
}
