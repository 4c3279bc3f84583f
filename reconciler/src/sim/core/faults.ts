/**
 * Fault injection per `Service.Operation`: throttling, 5xx, latency, eventual consistency,
 * capacity and quota errors, a hibernation that fails into a plain stop, drawn from a seeded
 * generator so a failing run replays exactly.
 * Optional token buckets with EC2's documented sizes, per Region, throttle for real (refilled on
 * wall-clock time, or on the simulated clock when asked).
 */
import { SimError } from './contract.js';
import type { SimService } from './contract.js';
import { createRandom } from './random.js';
import type { RandomSource } from './random.js';
import { createRateLimiter } from './rate-limits.js';
import type { RateLimiter } from './rate-limits.js';

/**
 * What a rule does to a matching call. `hibernationFails` (for `EC2.StopInstances`): the call
 * succeeds but a hibernate it asks for becomes a normal shutdown, as AWS does when the instance
 * cannot hibernate ("If the instance cannot hibernate successfully, a normal shutdown occurs").
 */
export type FaultKind =
  | 'throttle'
  | '5xx'
  | 'latency'
  | 'consistency'
  | 'capacity'
  | 'quota'
  | 'hibernationFails'
  | 'spotReclaim'
  | 'imageTestFails'
  | 'imageBuildFails';

const KINDS: readonly FaultKind[] = [
  'throttle',
  '5xx',
  'latency',
  'consistency',
  'capacity',
  'quota',
  'hibernationFails',
  'spotReclaim',
  'imageTestFails',
  'imageBuildFails',
];

/** Kinds that fail an Image Builder build (drawn at CreateImage, they act on the simulated clock). */
const IMAGE_BUILD_KINDS: readonly FaultKind[] = ['imageTestFails', 'imageBuildFails'];

/** Simulated seconds a Spot-reclaimed attempt runs before its instance goes, unless the rule says. */
export const SPOT_RECLAIM_AFTER_SECONDS = 60;

/** One fault rule, as posted to `POST /_sim/faults`. */
export interface FaultRule {
  /** `Service.Operation`, a glob on the operation part (`EC2.Describe*`, `Service.*`, `?` for one character), or `*`. */
  operation: string;
  kind: FaultKind;
  /** Chance that a matching call is hit. @default 1 */
  probability?: number;
  /** Only the first N matching calls can be hit. @default unlimited */
  count?: number;
  /** Added delay for `latency`, in wall-clock milliseconds. */
  latencyMs?: number;
  /** For `consistency`: how long (simulated seconds) new resources stay invisible to reads. @default 5 */
  delaySeconds?: number;
  /** Overrides the error code the rule answers with. */
  code?: string;
  /** Overrides the HTTP status the rule answers with. */
  status?: number;
  /**
   * For error kinds: carry the call out first, then answer the error — the reply lost after the
   * effect, as a 5xx or a timeout can be on AWS (a client that retries then repeats it). For
   * `latency`: carry the call out (and log it), then hold its reply back for `latencyMs`. @default false
   */
  afterEffect?: boolean;
  /**
   * For `spotReclaim` (no API call: Batch reclaims Spot capacity on its own): the compute
   * environment (name) whose Spot instances it reclaims. @default every SPOT compute environment
   */
  computeEnvironment?: string;
  /** For `spotReclaim`: simulated seconds an attempt runs before its instance is reclaimed. @default 60 */
  afterSeconds?: number;
  /**
   * For `imageTestFails` / `imageBuildFails` (no API error: the build itself fails later): the
   * image recipe (name) whose builds fail. @default every recipe
   */
  recipe?: string;
  /** For `imageTestFails` / `imageBuildFails`: the component step the reason names. @default the first step of the phase */
  step?: string;
}

/** The body of `POST /_sim/faults`. */
export interface FaultPlan {
  rules: FaultRule[];
  /** Seed of the fault draws. @default the simulator's seed */
  seed?: number;
  /** Turn on AWS's token-bucket request rate limits (EC2 sizes, per Region). @default false */
  rateLimits?: boolean;
  /**
   * What refills the buckets: `wall` time, or the `simulated` clock (for a client whose waits run
   * on the simulated clock, such as a benchmark measuring an apply in simulated time). @default 'wall'
   */
  rateLimitClock?: 'wall' | 'simulated';
}

/** The outcome for one call. */
export interface FaultDecision {
  error?: SimError;
  /** The call is carried out before `error` is answered. */
  afterEffect?: boolean;
  latencyMs: number;
  /** Delay after the call took effect, before its reply (a `latency` rule with `afterEffect`). */
  replyLatencyMs?: number;
  consistencyDelaySeconds?: number;
  /** A hibernate this call asks for becomes a plain stop (a `hibernationFails` rule). */
  hibernationFails?: boolean;
}

const ERRORS: Record<SimService['name'], Record<'throttle' | '5xx' | 'capacity' | 'quota', [string, number]>> = {
  EC2: {
    throttle: ['RequestLimitExceeded', 503],
    '5xx': ['InternalError', 500],
    capacity: ['InsufficientInstanceCapacity', 500],
    quota: ['VcpuLimitExceeded', 400],
  },
  Batch: {
    throttle: ['TooManyRequestsException', 429],
    '5xx': ['ServerException', 500],
    capacity: ['ServerException', 500],
    quota: ['ClientException', 400],
  },
  Budgets: {
    throttle: ['ThrottlingException', 400],
    '5xx': ['InternalErrorException', 500],
    capacity: ['InternalErrorException', 500],
    quota: ['CreationLimitExceededException', 400],
  },
  CostExplorer: {
    throttle: ['LimitExceededException', 400],
    '5xx': ['ServiceUnavailable', 503],
    capacity: ['ServiceUnavailable', 503],
    quota: ['LimitExceededException', 400],
  },
  CloudWatch: {
    throttle: ['Throttling', 400],
    '5xx': ['InternalServiceFault', 500],
    capacity: ['InternalServiceFault', 500],
    quota: ['LimitExceeded', 400],
  },
  STS: {
    throttle: ['Throttling', 400],
    '5xx': ['InternalFailure', 500],
    capacity: ['InternalFailure', 500],
    quota: ['Throttling', 400],
  },
  ImageBuilder: {
    throttle: ['CallRateLimitExceededException', 429],
    '5xx': ['ServiceException', 500],
    capacity: ['ServiceUnavailableException', 503],
    quota: ['ServiceQuotaExceededException', 402],
  },
};

const MESSAGES: Record<string, string> = {
  throttle: 'Request limit exceeded.',
  '5xx': 'An internal error has occurred.',
  capacity: 'We currently do not have sufficient capacity in the Availability Zone you requested.',
  quota: 'You have requested more vCPU capacity than your current vCPU limit allows.',
};

/**
 * Checks a posted plan.
 * @throws {SimError} `InvalidParameterValue` naming the first bad field.
 */
export function checkFaultPlan(body: unknown): FaultPlan {
  const plan = (body ?? {}) as Partial<FaultPlan>;
  if (!Array.isArray(plan.rules)) throw new SimError('InvalidParameterValue', 'faults: "rules" must be an array');
  // A posted entry may be anything, null included, until checked.
  for (const [i, rule] of (plan.rules as (FaultRule | null)[]).entries()) {
    // A Spot reclaim is no API call: its rule needs no operation (and is filed under Batch).
    if (rule?.kind === 'spotReclaim') (rule as { operation?: string }).operation ??= 'Batch.*';
    // A failing image build is no API error either: its rule is filed under the call that starts the build.
    if (rule !== null && IMAGE_BUILD_KINDS.includes(rule.kind))
      (rule as { operation?: string }).operation ??= 'ImageBuilder.CreateImage';
    if (typeof rule?.operation !== 'string' || !/^(\*|[A-Za-z0-9]+\.[A-Za-z0-9*?]+)$/.test(rule.operation)) {
      throw new SimError(
        'InvalidParameterValue',
        `faults: rules[${i}].operation must be "Service.Operation" (a glob such as "EC2.Describe*" allowed on the operation)`,
      );
    }
    if (!KINDS.includes(rule.kind))
      throw new SimError('InvalidParameterValue', `faults: rules[${i}].kind must be one of ${KINDS.join(', ')}`);
    if (rule.kind === 'hibernationFails' && !matches(rule.operation, 'EC2.StopInstances')) {
      throw new SimError(
        'InvalidParameterValue',
        `faults: rules[${i}].kind hibernationFails applies only to EC2.StopInstances`,
      );
    }
    const p = rule.probability;
    if (p !== undefined && (typeof p !== 'number' || p < 0 || p > 1)) {
      throw new SimError('InvalidParameterValue', `faults: rules[${i}].probability must be in 0..1`);
    }
    if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 0)) {
      throw new SimError('InvalidParameterValue', `faults: rules[${i}].count must be a whole number`);
    }
    if (rule.kind === 'spotReclaim' && !matches(rule.operation, 'Batch.SpotReclaim')) {
      throw new SimError('InvalidParameterValue', `faults: rules[${i}].kind spotReclaim applies only to Batch`);
    }
    if (IMAGE_BUILD_KINDS.includes(rule.kind) && !matches(rule.operation, 'ImageBuilder.CreateImage')) {
      throw new SimError(
        'InvalidParameterValue',
        `faults: rules[${i}].kind ${rule.kind} applies only to ImageBuilder.CreateImage`,
      );
    }
    for (const member of ['recipe', 'step'] as const) {
      if (rule[member] !== undefined && (typeof rule[member] !== 'string' || rule[member] === '')) {
        throw new SimError('InvalidParameterValue', `faults: rules[${i}].${member} must be a name`);
      }
    }
    const after = rule.afterSeconds;
    if (after !== undefined && (typeof after !== 'number' || !Number.isFinite(after) || after < 0)) {
      throw new SimError('InvalidParameterValue', `faults: rules[${i}].afterSeconds must be a number of seconds ≥ 0`);
    }
    if (rule.computeEnvironment !== undefined && typeof rule.computeEnvironment !== 'string') {
      throw new SimError('InvalidParameterValue', `faults: rules[${i}].computeEnvironment must be a name`);
    }
    if (rule.afterEffect !== undefined && typeof rule.afterEffect !== 'boolean') {
      throw new SimError('InvalidParameterValue', `faults: rules[${i}].afterEffect must be true or false`);
    }
  }
  const clock: unknown = plan.rateLimitClock;
  if (clock !== undefined && clock !== 'wall' && clock !== 'simulated') {
    throw new SimError('InvalidParameterValue', 'faults: "rateLimitClock" must be "wall" or "simulated"');
  }
  return {
    rules: plan.rules,
    seed: plan.seed,
    rateLimits: plan.rateLimits === true,
    ...(plan.rateLimitClock === undefined ? {} : { rateLimitClock: plan.rateLimitClock }),
  };
}

/** Whether `Service.Operation` matches a rule: `*`, or the same service and an operation glob (`*`, `?`). */
export function matches(pattern: string, operation: string): boolean {
  if (pattern === '*' || pattern === operation) return true;
  const dot = pattern.indexOf('.');
  if (operation.slice(0, operation.indexOf('.') + 1) !== pattern.slice(0, dot + 1)) return false;
  const glob = pattern
    .slice(dot + 1)
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${glob}$`).test(operation.slice(operation.indexOf('.') + 1));
}

/** The fault injector one simulator owns. */
export interface FaultInjector {
  configure(plan: FaultPlan): void;
  plan(): FaultPlan;
  /** Identifies the plan in force; absent while it has no `spotReclaim` rule. */
  planId(): string | undefined;
  /**
   * Draws (count, probability) whether a `spotReclaim` rule takes the Spot instance of an attempt
   * on the named compute environment: the seconds it runs first, or undefined.
   */
  spotReclaim(computeEnvironment: string): number | undefined;
  /**
   * Draws (count, probability) whether an `imageTestFails` / `imageBuildFails` rule fails a new
   * build of the named recipe: the phase it fails in and the step to name, or undefined.
   */
  imageBuildFault(recipe: string): { phase: 'BUILDING' | 'TESTING'; step?: string } | undefined;
  /** The faults for one call in `region` (its bucket's Region when rate limits are on). @default region 'us-east-1' */
  decide(
    service: SimService['name'],
    operation: string,
    input: Record<string, unknown>,
    region?: string,
  ): FaultDecision;
}

/**
 * Creates an injector with no rules; `defaultSeed` seeds draws unless a plan gives its own;
 * `simulatedNow` (ms) refills the buckets of a plan with `rateLimitClock: 'simulated'`.
 */
export function createFaultInjector(defaultSeed: number, simulatedNow?: () => number): FaultInjector {
  let current: FaultPlan = { rules: [] };
  let hits: number[] = [];
  let random: RandomSource = createRandom(defaultSeed, 0xfa17);
  let limiter: RateLimiter | undefined;
  let plans = 0;
  let planId: string | undefined;
  return {
    configure(plan) {
      current = plan;
      plans += 1;
      // Unique across restarts of the simulator too: attempts drawn under an older plan are drawn again.
      planId = plan.rules.some((r) => r.kind === 'spotReclaim') ? `${Date.now().toString(36)}-${plans}` : undefined;
      hits = plan.rules.map(() => 0);
      random = createRandom(plan.seed ?? defaultSeed, 0xfa17);
      const clock = plan.rateLimitClock === 'simulated' ? simulatedNow : undefined;
      limiter = plan.rateLimits ? createRateLimiter(clock) : undefined;
    },
    plan: () => current,
    planId: () => planId,
    spotReclaim(computeEnvironment) {
      for (const [i, rule] of current.rules.entries()) {
        if (rule.kind !== 'spotReclaim') continue;
        if (rule.computeEnvironment !== undefined && rule.computeEnvironment !== computeEnvironment) continue;
        if (rule.count !== undefined && (hits[i] ?? 0) >= rule.count) continue;
        if (random() >= (rule.probability ?? 1)) continue;
        hits[i] = (hits[i] ?? 0) + 1;
        return rule.afterSeconds ?? SPOT_RECLAIM_AFTER_SECONDS;
      }
      return undefined;
    },
    imageBuildFault(recipe) {
      for (const [i, rule] of current.rules.entries()) {
        if (!IMAGE_BUILD_KINDS.includes(rule.kind)) continue;
        if (rule.recipe !== undefined && rule.recipe !== recipe) continue;
        if (rule.count !== undefined && (hits[i] ?? 0) >= rule.count) continue;
        if (random() >= (rule.probability ?? 1)) continue;
        hits[i] = (hits[i] ?? 0) + 1;
        const phase = rule.kind === 'imageTestFails' ? ('TESTING' as const) : ('BUILDING' as const);
        return rule.step === undefined ? { phase } : { phase, step: rule.step };
      }
      return undefined;
    },
    decide(service, operation, input, region = 'us-east-1') {
      const name = `${service}.${operation}`;
      const decision: FaultDecision = { latencyMs: 0 };
      for (const [i, rule] of current.rules.entries()) {
        if (
          rule.kind === 'spotReclaim' ||
          rule.kind === 'imageTestFails' ||
          rule.kind === 'imageBuildFails' ||
          !matches(rule.operation, name)
        )
          continue;
        // Only a call that asks for a hibernate can have its hibernation fail (and count as a hit).
        if (rule.kind === 'hibernationFails' && (name !== 'EC2.StopInstances' || input.Hibernate !== true)) continue;
        if (rule.count !== undefined && (hits[i] ?? 0) >= rule.count) continue;
        if (random() >= (rule.probability ?? 1)) continue;
        hits[i] = (hits[i] ?? 0) + 1;
        if (rule.kind === 'latency' && rule.afterEffect === true)
          decision.replyLatencyMs = (decision.replyLatencyMs ?? 0) + (rule.latencyMs ?? 1000);
        else if (rule.kind === 'latency') decision.latencyMs += rule.latencyMs ?? 1000;
        else if (rule.kind === 'consistency') decision.consistencyDelaySeconds = rule.delaySeconds ?? 5;
        else if (rule.kind === 'hibernationFails') decision.hibernationFails = true;
        else if (decision.error === undefined) {
          const [code, status] = ERRORS[service][rule.kind];
          decision.error = new SimError(
            rule.code ?? code,
            MESSAGES[rule.kind] ?? 'Fault injected.',
            rule.status ?? status,
          );
          if (rule.afterEffect === true) decision.afterEffect = true;
        }
      }
      if (decision.error === undefined && limiter !== undefined && service === 'EC2') {
        decision.error = limiter.take(operation, input, region);
      }
      return decision;
    },
  };
}
