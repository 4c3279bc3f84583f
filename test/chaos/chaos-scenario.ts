/**
 * One chaos case, start to end: the chaos lab reconciled under a seeded fault plan until a plan
 * is empty — first from nothing at DAY (creates, volumes, Batch submissions), then at EVENING
 * (schedule stops and hibernations, snapshots, cross-Region copies) — each within `bound`
 * reconciles; then, with the faults off, a plan that is still empty and an account that holds
 * exactly what the lab asks for.
 */
import { expect } from 'vitest';
import type { FaultRule, RequestLogEntry } from '../../reconciler/src/sim/index.js';
import {
  attemptReport,
  duplicateSnapshots,
  expectedPowerStates,
  expectedVolumeLayout,
  injected,
  instancesPerWorkstation,
  jobsPerName,
  oneInstanceEach,
  oneJobEach,
  powerStates,
  repeatReport,
  scheduleSnapshotCounts,
  succeeded,
  volumeLayout,
} from './chaos-checks.js';
import { failuresOf, startChaos } from './chaos-harness.js';
import type { ChaosHarness, Convergence } from './chaos-harness.js';
import { DAY, EVENING, JOBS } from './chaos-lab.js';

/** A fault plan and the reconciles it may take to converge (per stage). */
export interface ChaosScenario {
  name: string;
  rules: FaultRule[];
  /** Reconciles allowed per stage; the test file says why this many. */
  bound: number;
  /** Attempts per SDK call the clients are configured with. @default 3 (the SDK's) */
  maxAttempts?: number;
}

/** What a case measured, for the report. */
export interface ChaosFigures {
  scenario: string;
  seed: number;
  day: number;
  evening: number;
  requests: number;
  injected: number;
  maxAttempts: number;
  maxAttemptsObserved: number;
  sdkRetries: number;
  maxCallsPerMutation: number;
  ms: number;
}

function describeFailures(c: Convergence): string {
  return c.runs
    .map(
      (r, i) =>
        `#${i + 1}: ${(r.result?.plan?.actions ?? []).length} actions; ${failuresOf(r).join('; ').slice(0, 300)}`,
    )
    .join('\n');
}

/** Everything the runs of a case sent, and the most SDK calls labops made with one mutation in one run. */
interface Tally {
  log: RequestLogEntry[];
  maxCallsPerMutation: number;
}

async function stage(h: ChaosHarness, scenario: ChaosScenario, tally: Tally, what: string): Promise<number> {
  const c = await h.converge(scenario.bound);
  for (const run of c.runs) {
    tally.log.push(...run.requests);
    // Each run on its own: labops never sends a mutation again in one run beyond its policy.
    const repeats = repeatReport(run.requests);
    expect(repeats.breaches, `${what}: labops repeated a mutation`).toEqual([]);
    tally.maxCallsPerMutation = Math.max(tally.maxCallsPerMutation, repeats.maxCallsPerMutation);
  }
  expect(
    c.reconciles,
    `${what}: not converged within ${scenario.bound} reconciles\n${describeFailures(c)}`,
  ).toBeDefined();
  return c.reconciles!;
}

/** Runs one case and asserts every invariant; returns its figures. */
export async function runChaos(scenario: ChaosScenario, seed: number): Promise<ChaosFigures> {
  const started = performance.now();
  const maxAttempts = scenario.maxAttempts ?? 3;
  const h = await startChaos(DAY, seed, maxAttempts);
  try {
    const tally: Tally = { log: [], maxCallsPerMutation: 0 };
    const log = tally.log;
    await h.faults({ rules: scenario.rules, seed });
    const day = await stage(h, scenario, tally, 'DAY');
    await h.faults({ rules: [] });
    const calm = await h.reconcile();
    expect(calm.result?.plan?.actions, 'DAY: a plan without faults').toEqual([]);
    expect(powerStates(await h.account())).toEqual(expectedPowerStates('day'));

    await h.sim.control.setClock(EVENING);
    await h.faults({ rules: scenario.rules, seed: seed + 1 });
    const evening = await stage(h, scenario, tally, 'EVENING');
    await h.faults({ rules: [] });
    const after = await h.reconcile();
    log.push(...calm.requests, ...after.requests);
    const account = await h.account();

    expect(after.result?.plan?.actions, 'EVENING: a plan without faults').toEqual([]);
    expect(after.result?.validation.problems).toEqual([]);
    expect(instancesPerWorkstation(h.instancesEverSeen()), 'instances ever launched per workstation').toEqual(
      oneInstanceEach(),
    );
    expect(powerStates(account)).toEqual(expectedPowerStates('evening'));
    expect(volumeLayout(account)).toEqual(expectedVolumeLayout());
    expect(jobsPerName(account)).toEqual(oneJobEach());
    // Each Job submitted once (what Batch holds: a reply lost after the effect is no answer).
    expect(succeeded(log, 'Batch.SubmitJob')).toBeLessThanOrEqual(JOBS.length);
    expect(duplicateSnapshots(account)).toEqual([]);
    expect(scheduleSnapshotCounts(account).originals).toBe(expectedVolumeLayout().length);
    const attempts = attemptReport(log, maxAttempts);
    expect(attempts.breaches).toEqual([]);
    expect(attempts.maxObserved).toBeLessThanOrEqual(maxAttempts);
    return {
      scenario: scenario.name,
      seed,
      day,
      evening,
      requests: log.length,
      injected: injected(log),
      maxAttempts,
      maxAttemptsObserved: attempts.maxObserved,
      sdkRetries: attempts.retries,
      maxCallsPerMutation: tally.maxCallsPerMutation,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await h.close();
  }
}

/** One row of a chaos table: a scenario and a seed. */
export interface ChaosCase {
  scenario: ChaosScenario;
  seed: number;
}

/** The cases of `scenario` for each of `seeds`. */
export function casesOf(scenario: ChaosScenario, seeds: number[]): ChaosCase[] {
  return seeds.map((seed) => ({ scenario, seed }));
}

/** Prints a case's figures when LABOPS_CHAOS_REPORT is set (the suite is quiet otherwise). */
export function report(figures: ChaosFigures): void {
  if (process.env.LABOPS_CHAOS_REPORT) console.info(JSON.stringify(figures));
}
