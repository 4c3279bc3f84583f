/**
 * A run as tests read it. `RunResult` is a union keyed by `outcome` and the shells switch on it; a test
 * asserts on whatever phase output it expects, and an absent one (an invalid Lab has no plan) fails the
 * assertion it reaches rather than the type check, so tests read every phase's output as optional.
 */
import type { AppliedRun, RunResult } from '../../reconciler/src/engine/pipeline.js';

type PhaseOutput = 'repo' | 'desired' | 'observed' | 'plan' | 'budgets' | 'applied' | 'identity' | 'foreign' | 'record';

export type RunView = Omit<AppliedRun, 'outcome' | PhaseOutput> & {
  outcome: RunResult['outcome'];
} & Partial<Pick<AppliedRun, PhaseOutput>>;

/** The same run, every phase's output optional. */
export function view(result: RunResult): RunView {
  return result;
}
