/**
 * JobQueue checks: an external queue declares no capacity and a managed one does; compute
 * environment names are unique in their queue; every instance type or family is in the price
 * table and allowed by the Lab's `allowedInstanceTypes` (a family only when every type of it is,
 * `optimal` only when the Lab allows any type, since Batch then picks the types); a GPU queue lists
 * only GPU types; Spot rules (a Spot allocation strategy or a bid only on Spot capacity);
 * `minVcpus` ≤ `maxVcpus`. And a Job's `queue` names a JobQueue of its Region once the lab
 * declares any JobQueue (a lab that declares none keeps naming queues made by hand: the migration
 * path is to declare them, managed or `external: true`).
 */
import { globToRegExp } from '../model/glob.js';
import { allGpu, resolveInstanceTypes } from '../model/job-queue.js';
import type { Problem } from '../model/problem.js';
import { didYouMean } from '../model/suggest.js';
import { listInstanceTypes } from '../cost/prices/index.js';
import type { InvalidNames } from './invalid-names.js';
import { problemAt, regionOf } from './lab-specs.js';
import type { LabSpecs } from './lab-specs.js';

/** Every known type name and family, for did-you-mean suggestions. */
function knownNames(): string[] {
  const types = listInstanceTypes();
  return [...new Set([...types.map((t) => t.instanceType), ...types.map((t) => t.family), 'optimal'])];
}

/** The problems of one JobQueue's own fields. */
export function checkJobQueues(specs: LabSpecs): Problem[] {
  const problems: Problem[] = [];
  const globs = specs.lab?.spec.spec.policy?.allowedInstanceTypes;
  const allowed = globs?.map(globToRegExp);
  const isAllowed = (type: string): boolean => allowed === undefined || allowed.some((re) => re.test(type));
  for (const { doc, spec } of specs.queues) {
    const s = spec.spec;
    if (s.external === true) {
      for (const field of ['computeEnvironments', 'priority', 'gpu', 'state'] as const) {
        if (s[field] !== undefined)
          problems.push(
            problemAt(
              doc,
              ['spec', field],
              `an external JobQueue is only read, never changed: remove ${field} (or drop external: true to let labops manage the queue)`,
            ),
          );
      }
      continue;
    }
    if (s.priority === undefined)
      problems.push(
        problemAt(doc, ['spec'], 'priority is required (0..1000) unless the queue is external', 'error', 'key'),
      );
    if (s.computeEnvironments === undefined) {
      problems.push(
        problemAt(
          doc,
          ['spec'],
          'computeEnvironments is required (1 to 3, in order) unless the queue is external: true',
          'error',
          'key',
        ),
      );
      continue;
    }
    const seen = new Set<string>();
    for (const [i, ce] of s.computeEnvironments.entries()) {
      const at = ['spec', 'computeEnvironments', i];
      if (seen.has(ce.name))
        problems.push(problemAt(doc, [...at, 'name'], `duplicate compute environment name "${ce.name}" in this queue`));
      seen.add(ce.name);
      for (const [j, entry] of ce.instanceTypes.entries()) {
        const where = [...at, 'instanceTypes', j];
        const resolved = resolveInstanceTypes(entry);
        if (resolved.kind === 'unknown') {
          problems.push(
            problemAt(doc, where, `unknown instance type or family "${entry}"${didYouMean(entry, knownNames())}`),
          );
        } else if (resolved.kind === 'optimal') {
          if (globs !== undefined)
            problems.push(
              problemAt(
                doc,
                where,
                `"optimal" lets Batch pick types the lab policy cannot check (allowedInstanceTypes: ${globs.join(', ')}); list types or families`,
              ),
            );
          if (s.gpu === true)
            problems.push(
              problemAt(doc, where, '"optimal" is not a GPU type: a GPU queue lists GPU types or families'),
            );
        } else {
          const refused = resolved.types.filter((t) => !isAllowed(t));
          if (refused.length > 0)
            problems.push(
              problemAt(
                doc,
                where,
                resolved.family
                  ? `family "${entry}" includes types the lab policy does not allow (${refused.slice(0, 3).join(', ')}${refused.length > 3 ? ', …' : ''}; allowedInstanceTypes: ${(globs ?? []).join(', ')}); list the allowed types`
                  : `instance type "${entry}" is not allowed by the lab policy (allowedInstanceTypes: ${(globs ?? []).join(', ')})`,
              ),
            );
        }
      }
      if (s.gpu === true && !ce.instanceTypes.includes('optimal') && !allGpu(ce.instanceTypes))
        problems.push(
          problemAt(
            doc,
            [...at, 'instanceTypes'],
            'a GPU queue (gpu: true) needs GPU instance types or families only (g4dn, g5, g6, p3, …)',
          ),
        );
      const spotOnly = ce.allocationStrategy?.startsWith('SPOT_') === true;
      if (ce.capacity === 'onDemand' && spotOnly)
        problems.push(
          problemAt(
            doc,
            [...at, 'allocationStrategy'],
            `${ce.allocationStrategy} is for Spot capacity; on-demand uses BEST_FIT_PROGRESSIVE`,
          ),
        );
      if (ce.capacity === 'onDemand' && ce.bidPercentage !== undefined)
        problems.push(problemAt(doc, [...at, 'bidPercentage'], 'bidPercentage applies to Spot capacity only'));
      if ((ce.minVcpus ?? 0) > ce.maxVcpus)
        problems.push(
          problemAt(doc, [...at, 'minVcpus'], `minVcpus ${ce.minVcpus ?? 0} is greater than maxVcpus ${ce.maxVcpus}`),
        );
    }
  }
  return problems;
}

/**
 * A Job's `queue` names a JobQueue of its Region (by name, or by the name in an ARN), once the lab
 * declares any JobQueue; before that, queues are hand-made and only the plan checks they exist.
 */
export function checkJobQueueNames(specs: LabSpecs, invalid: InvalidNames): Problem[] {
  const problems: Problem[] = [];
  const lab = specs.lab?.spec;
  const declared = specs.queues.map((q) => ({ name: q.spec.metadata.name, region: regionOf(q.spec.spec, lab) }));
  if (declared.length === 0 && !invalid.anyOfKind('JobQueue')) return [];
  for (const { doc, spec } of specs.jobs) {
    const ref = spec.spec.queue;
    const name = ref.startsWith('arn:') ? (ref.split('/').pop() ?? ref) : ref;
    const region = regionOf(spec.spec, lab);
    const at = ['spec', 'queue'];
    if (declared.some((q) => q.name === name && q.region === region)) continue;
    const broken = invalid.find('JobQueue', name);
    if (broken !== undefined) {
      problems.push(invalid.knockOn(doc, at, broken, 'JobQueue'));
      continue;
    }
    const elsewhere = declared.find((q) => q.name === name);
    const detail = elsewhere
      ? `JobQueue "${name}" is in ${elsewhere.region ?? 'another Region'}, this Job runs in ${region ?? 'the default Region'}`
      : `no JobQueue named "${name}"${didYouMean(
          name,
          declared.map((q) => q.name),
        )}`;
    problems.push(
      problemAt(
        doc,
        at,
        `${detail}: declare it as a JobQueue (or with external: true for an existing queue labops only reads)`,
      ),
    );
  }
  return problems;
}
