/**
 * EC2 instance behaviours `labops sim` promises, each beside the AWS documentation it comes from,
 * checked with the real @aws-sdk/client-ec2 against the sim: RunInstances ClientToken idempotency,
 * transitional states and their timing, what Start/Stop answer in each state, resize rules,
 * DescribeInstances filters, terminated-instance visibility and pagination limits.
 *
 * Sim timing (reconciler/src/sim/ec2-run.ts, ec2-lifecycle.ts, ec2-advance.ts): pending lasts
 * 30–60 s, a plain stop 30 s, a hibernate 60–90 s, shutting-down 30 s, and a terminated instance
 * stays visible for 3600 s.
 */
import {
  DescribeInstancesCommand,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { conformanceSim, outcome, ubuntuImage } from '../support/conformance.js';

const aws = conformanceSim();
let ubuntu: string;

beforeEach(async () => {
  ubuntu = await ubuntuImage(aws.ec2);
});

type State = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

const HIBERNATING: Partial<RunInstancesCommandInput> = {
  HibernationOptions: { Configured: true },
  BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 30, Encrypted: true } }],
};

function run(extra: Partial<RunInstancesCommandInput> = {}): Promise<string[]> {
  return aws.ec2
    .send(new RunInstancesCommand({ ImageId: ubuntu, InstanceType: 'm6i.large', MinCount: 1, MaxCount: 1, ...extra }))
    .then((out) => (out.Instances ?? []).map((i) => i.InstanceId ?? ''));
}

async function stateOf(id: string): Promise<string | undefined> {
  const out = await aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

async function typeOf(id: string): Promise<string | undefined> {
  const out = await aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations?.[0]?.Instances?.[0]?.InstanceType;
}

/** One instance in `state`, reached through the API and the sim's clock. */
async function instanceIn(state: State): Promise<string> {
  const [id = ''] = await run();
  if (state === 'pending') return id;
  await aws.sim.control.advance('5m');
  if (state === 'stopping' || state === 'stopped') await aws.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
  if (state === 'shutting-down' || state === 'terminated')
    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  if (state === 'stopped' || state === 'terminated') await aws.sim.control.advance('2m');
  return id;
}

describe('RunInstances: ClientToken idempotency', () => {
  // https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
  // "If you retry a request that completed successfully using the same client token and the same
  // parameters, the retry succeeds without performing any further actions."
  it.each([1, 2])(
    'the same token and parameters return the same reservation and its %i instance(s), launching nothing more',
    async (count) => {
      const input: RunInstancesCommandInput = {
        ImageId: ubuntu,
        InstanceType: 't3.medium',
        MinCount: count,
        MaxCount: count,
        ClientToken: `conformance-${count}`,
      };
      const first = await aws.ec2.send(new RunInstancesCommand(input));

      const again = await aws.ec2.send(new RunInstancesCommand(input));

      expect(again.ReservationId).toBe(first.ReservationId);
      expect(again.Instances?.map((i) => i.InstanceId)).toEqual(first.Instances?.map((i) => i.InstanceId));
      const all = await aws.ec2.send(new DescribeInstancesCommand({}));
      expect(all.Reservations?.flatMap((r) => r.Instances ?? []).length).toBe(count);
    },
  );

  // Same page: "If you retry a successful request using the same client token, but one or more of the
  // parameters are different, other than the Region or Availability Zone, the retry fails with an
  // IdempotentParameterMismatch error."
  it.each([
    ['another instance type', { InstanceType: 't3.large' }],
    ['another count', { MinCount: 2, MaxCount: 2 }],
    ['other tags', { TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'a', Value: 'b' }] }] }],
  ] as [string, Partial<RunInstancesCommandInput>][])(
    'the same token with %s: IdempotentParameterMismatch',
    async (_label, change) => {
      await run({ InstanceType: 't3.medium', ClientToken: 'conformance-mismatch' });

      const result = await outcome(run({ InstanceType: 't3.medium', ClientToken: 'conformance-mismatch', ...change }));

      expect(result).toBe('IdempotentParameterMismatch');
    },
  );

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
  // "IdempotentInstanceTerminated: The request to launch an instance uses the same client token as a
  // previous request for which the instance has been terminated."
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Run_Instance_Idempotency.html
  // "a client token is valid for at least 24 hours after the termination of the instance."
  it.each([
    ['just terminated', '2m'],
    ['terminated two hours ago (no longer listed)', '2h'],
  ])('a token whose instance was %s: IdempotentInstanceTerminated, nothing launched', async (_label, wait) => {
    const [id = ''] = await run({ ClientToken: 'conformance-gone' });
    await aws.sim.control.advance('5m');
    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await aws.sim.control.advance(wait);

    const result = await outcome(run({ ClientToken: 'conformance-gone' }));

    expect(result).toBe('IdempotentInstanceTerminated');
    const live = await aws.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running'] }] }),
    );
    expect(live.Reservations ?? []).toEqual([]);
  });
});

describe('Transitional states and their timing', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html
  // "When you launch an instance, it enters the pending state. After the instance is ready for you, it
  // enters the running state."
  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html (state table):
  // stop → stopping → stopped; terminate → shutting-down → terminated. AWS gives no durations; the
  // sim's are in this file's header.
  it.each([
    // pending lasts 30–60 s: still pending at 29 s, running by 61 s.
    ['launch', 'pending', '29s', 'pending', '32s', 'running'],
    ['stop', 'running', '29s', 'stopping', '2s', 'stopped'],
    ['terminate', 'running', '29s', 'shutting-down', '2s', 'terminated'],
  ] as const)('%s: %s → %s after %s (still), then %s → %s', async (action, from, early, during, late, to) => {
    const id = await instanceIn(from);
    if (action === 'stop') await aws.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    if (action === 'terminate') await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));

    await aws.sim.control.advance(early);
    const middle = await stateOf(id);
    await aws.sim.control.advance(late);

    expect(middle).toBe(during);
    expect(await stateOf(id)).toBe(to);
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
  // "IncorrectInstanceState: The instance is in an incorrect state for the requested action."
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TerminateInstances.html
  // "Terminating an instance is idempotent. If you terminate an instance more than once, each call succeeds."
  it.each([
    ['StartInstances', 'stopping', 'IncorrectInstanceState'],
    ['StartInstances', 'shutting-down', 'IncorrectInstanceState'],
    ['StartInstances', 'terminated', 'IncorrectInstanceState'],
    ['StartInstances', 'stopped', 'accepted'],
    ['StartInstances', 'running', 'accepted'],
    ['StopInstances', 'pending', 'IncorrectInstanceState'],
    ['StopInstances', 'shutting-down', 'IncorrectInstanceState'],
    ['StopInstances', 'terminated', 'IncorrectInstanceState'],
    ['StopInstances', 'running', 'accepted'],
    ['StopInstances', 'stopped', 'accepted'],
    ['TerminateInstances', 'pending', 'accepted'],
    ['TerminateInstances', 'stopping', 'accepted'],
    ['TerminateInstances', 'shutting-down', 'accepted'],
    ['TerminateInstances', 'terminated', 'accepted'],
  ] as const)('%s on a %s instance: %s', async (operation, state, expected) => {
    const id = await instanceIn(state);
    expect(await stateOf(id)).toBe(state);

    const input = { InstanceIds: [id] };
    const command =
      operation === 'StartInstances'
        ? new StartInstancesCommand(input)
        : operation === 'StopInstances'
          ? new StopInstancesCommand(input)
          : new TerminateInstancesCommand(input);
    const result = await outcome(aws.ec2.send(command));

    expect(result).toBe(expected);
  });
});

describe('Resize: ModifyInstanceAttribute InstanceType', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-resize.html
  // "You must stop your Amazon EBS–backed instance before you can change its instance type."
  it.each([
    ['pending', 'IncorrectInstanceState'],
    ['running', 'IncorrectInstanceState'],
    ['stopping', 'IncorrectInstanceState'],
    ['stopped', 'accepted'],
  ] as const)('on a %s instance: %s', async (state, expected) => {
    const id = await instanceIn(state);

    const result = await outcome(
      aws.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 'm6i.xlarge' } })),
    );

    expect(result).toBe(expected);
    expect(await typeOf(id)).toBe(expected === 'accepted' ? 'm6i.xlarge' : 'm6i.large');
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
  // "InvalidInstanceAttributeValue: … This error is most commonly encountered when trying to set the
  // InstanceType/--instance-type attribute to an unrecognized value."
  it('an unknown instance type: InvalidInstanceAttributeValue', async () => {
    const id = await instanceIn('stopped');

    const result = await outcome(
      aws.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 'm99.huge' } })),
    );

    expect(result).toBe('InvalidInstanceAttributeValue');
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Hibernate.html (hibernation limitations)
  // "The following actions are not supported for hibernation: Changing the instance type or size of a
  // hibernated instance"
  it('a hibernated instance keeps its instance type', async () => {
    const [id = ''] = await run(HIBERNATING);
    await aws.sim.control.advance('5m');
    await aws.ec2.send(new StopInstancesCommand({ InstanceIds: [id], Hibernate: true }));
    await aws.sim.control.advance('2m');
    expect(await stateOf(id)).toBe('stopped');

    const result = await outcome(
      aws.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 'm6i.xlarge' } })),
    );

    expect(result).not.toBe('accepted');
    expect(await typeOf(id)).toBe('m6i.large');
  });
});

describe('DescribeInstances: the filters labops uses, and terminated instances', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html (Filter.N)
  // "tag:<key> - The key/value combination of a tag assigned to the resource."
  // "instance-state-name - The state of the instance (pending | running | shutting-down | terminated | stopping | stopped)."
  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Filtering.html
  // "If you specify multiple filters, … the resources must match all filters" and "If you specify
  // multiple values for a filter, … the resources can match any of the filter values".
  it.each([
    ['tag:labops:lab = neuro', [{ Name: 'tag:labops:lab', Values: ['neuro'] }], ['alice', 'bob']],
    [
      'tag:labops:lab = neuro or chem',
      [{ Name: 'tag:labops:lab', Values: ['neuro', 'chem'] }],
      ['alice', 'bob', 'carol'],
    ],
    ['instance-state-name = stopped', [{ Name: 'instance-state-name', Values: ['stopped'] }], ['bob']],
    [
      'tag and state together',
      [
        { Name: 'tag:labops:lab', Values: ['neuro'] },
        { Name: 'instance-state-name', Values: ['running'] },
      ],
      ['alice'],
    ],
    ['a tag value with a wildcard', [{ Name: 'tag:Name', Values: ['a*'] }], ['alice']],
  ])('%s', async (_label, filters, expected) => {
    const tagged = (name: string, lab: string): Partial<RunInstancesCommandInput> => ({
      TagSpecifications: [
        {
          ResourceType: 'instance',
          Tags: [
            { Key: 'Name', Value: name },
            { Key: 'labops:lab', Value: lab },
          ],
        },
      ],
    });
    await run(tagged('alice', 'neuro'));
    const [bob = ''] = await run(tagged('bob', 'neuro'));
    await run(tagged('carol', 'chem'));
    await aws.sim.control.advance('5m');
    await aws.ec2.send(new StopInstancesCommand({ InstanceIds: [bob] }));
    await aws.sim.control.advance('2m');

    const out = await aws.ec2.send(new DescribeInstancesCommand({ Filters: filters }));

    const names = (out.Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .map((i) => i.Tags?.find((t) => t.Key === 'Name')?.Value);
    expect(names.sort()).toEqual(expected);
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
  // "Recently terminated instances might appear in the returned results. This interval is usually less
  // than one hour."
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TerminateInstances.html
  // "Terminated instances remain visible after termination (for approximately one hour)."
  it('a terminated instance stays visible for about an hour, then is gone', async () => {
    const id = await instanceIn('terminated');

    await aws.sim.control.advance('55m');
    const byState = await aws.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['terminated'] }] }),
    );
    await aws.sim.control.advance('10m');
    const later = await outcome(aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })));

    expect((byState.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toEqual([id]);
    expect(later).toBe('InvalidInstanceID.NotFound');
  });
});

describe('DescribeInstances: at most 200 values in one filter', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
  // "FilterLimitExceeded — The request uses too many filters or too many filter values."
  // The limit is 200 values per filter (EC2's message: "The maximum number of filter values specified on
  // a single call is 200"); labops' batched reads send 200 instance ids a call (aws/ec2-instance-reads.ts).
  it.each([
    [200, 'accepted'],
    [201, 'FilterLimitExceeded'],
  ])('%i instance-id values: %s', async (count, expected) => {
    const ids = Array.from({ length: count }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);

    const result = await outcome(
      aws.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: ids }] })),
    );

    expect(result).toBe(expected);
  });
});

describe('DescribeInstances: pagination', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html (MaxResults, API
  // version 2016-11-15 text until 2023): "This value can be between 5 and 1000. You cannot specify this
  // parameter and the instance IDs parameter in the same call."
  // A value out of range is answered with InvalidParameterValue ("Value ( 1 ) for parameter maxResults is
  // invalid. Expecting a value greater than 5.", quoted in aws/aws-sdk-ruby#2575).
  it.each([
    [4, 'InvalidParameterValue'],
    [0, 'InvalidParameterValue'],
    [5, 'accepted'],
    [1000, 'accepted'],
  ])('MaxResults %i: %s', async (maxResults, expected) => {
    await run();

    const result = await outcome(aws.ec2.send(new DescribeInstancesCommand({ MaxResults: maxResults })));

    expect(result).toBe(expected);
  });

  it('MaxResults together with InstanceIds: InvalidParameterCombination', async () => {
    const [id = ''] = await run();

    const result = await outcome(aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id], MaxResults: 5 })));

    expect(result).toBe('InvalidParameterCombination');
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html#api-pagination
  // "The NextToken value returned from a previous paginated request. Pagination continues from the end of
  // the items returned by the previous request." (DescribeInstances NextToken)
  it('NextToken round-trips: pages of at most MaxResults cover every instance exactly once', async () => {
    const ids = await run({ MinCount: 12, MaxCount: 12 });

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const out = await aws.ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: token }));
      pages.push((out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId ?? ''));
      token = out.NextToken;
    } while (token !== undefined);

    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(pages.flat().sort()).toEqual([...ids].sort());
  });
});
