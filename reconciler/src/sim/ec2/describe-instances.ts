/**
 * DescribeInstances: by id (every id must exist, or the whole call fails) or by filters, with
 * `MaxResults` 5–1000 and `NextToken` pagination in creation order, instances grouped into their
 * reservations. One pass over the instances per page, output built only for the page.
 */
import type { SimContext } from '../core/contract.js';
import { checkFilterNames, compileFilters, filterPredicate, tagFilterValues } from './filters.js';
import { checkId, idsWithoutMaxResults, notFound, pageRequest, coercedStringList, takePage } from './input.js';
import { ec2Of } from './model.js';
import type { Ec2Instance } from './model.js';
import { reservationOutput } from './output.js';

const INSTANCE_FILTERS: ReadonlySet<string> = new Set([
  'instance-state-name',
  'instance-state-code',
  'instance-id',
  'client-token',
  'hibernation-options.configured',
  'instance-type',
  'image-id',
  'availability-zone',
  'reservation-id',
  'subnet-id',
  'vpc-id',
  'architecture',
  'state-reason-code',
  'private-ip-address',
  'instance-lifecycle',
]);

function instanceFilterValues(inst: Ec2Instance, name: string): readonly (string | undefined)[] | undefined {
  switch (name) {
    case 'instance-state-name':
      return [inst.state];
    case 'instance-state-code':
      return [
        String({ pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 }[inst.state]),
      ];
    case 'instance-id':
      return [inst.id];
    case 'client-token':
      return [inst.clientToken];
    case 'hibernation-options.configured':
      return [String(inst.hibernationConfigured)];
    case 'instance-type':
      return [inst.instanceType];
    case 'image-id':
      return [inst.imageId];
    case 'availability-zone':
      return [inst.az];
    case 'reservation-id':
      return [inst.reservationId];
    case 'subnet-id':
      return [inst.subnetId];
    case 'vpc-id':
      return [inst.vpcId];
    case 'architecture':
      return [inst.architecture];
    case 'state-reason-code':
      return [inst.stateReason?.Code];
    case 'private-ip-address':
      return [inst.privateIp];
    case 'instance-lifecycle':
      return [inst.spot ? 'spot' : undefined];
  }
  return tagFilterValues(inst.tags, name);
}

/** Whether a read in this context may see the resource yet (eventual-consistency fault). */
export function visible(createdAt: string, ctx: SimContext): boolean {
  const delay = ctx.consistencyDelaySeconds;
  if (delay === undefined) return true;
  return Date.parse(createdAt) + delay * 1000 <= ctx.now.getTime();
}

/** Finds the instances behind ids: every id well-formed, existing and visible in this Region. */
export function instancesById(ids: string[], ctx: SimContext): Ec2Instance[] {
  const ec2 = ec2Of(ctx.state);
  for (const id of ids) checkId('instance', id);
  const missing: string[] = [];
  const found: Ec2Instance[] = [];
  for (const id of ids) {
    const inst = ec2.instances[id];
    if (inst === undefined || inst.region !== ctx.region || !visible(inst.createdAt, ctx)) missing.push(id);
    else found.push(inst);
  }
  if (missing.length > 0) throw notFound('instance', missing);
  return found;
}

/** The DescribeInstances handler. */
export function describeInstances(input: Record<string, unknown>, ctx: SimContext): unknown {
  const ids = coercedStringList(input, 'InstanceIds');
  idsWithoutMaxResults(input, ids, 'instancesSet');
  const page = pageRequest(input, 5, 1000);
  const filters = compileFilters(input);
  checkFilterNames(filters, INSTANCE_FILTERS);
  const matches = filterPredicate(filters, instanceFilterValues);
  const ec2 = ec2Of(ctx.state);
  const source =
    ids.length > 0 ? [...new Set(instancesById(ids, ctx))].sort((a, b) => a.seq - b.seq) : Object.values(ec2.instances);
  const result = takePage(
    source,
    page,
    (inst) => inst.region === ctx.region && visible(inst.createdAt, ctx) && matches(inst),
  );
  const byReservation = new Map<string, Ec2Instance[]>();
  for (const inst of result.items) {
    const list = byReservation.get(inst.reservationId) ?? [];
    list.push(inst);
    byReservation.set(inst.reservationId, list);
  }
  const reservations = [...byReservation].map(([id, list]) =>
    reservationOutput(ctx.config.accountId, id, list, ctx.state),
  );
  return { Reservations: reservations, NextToken: result.nextToken };
}
