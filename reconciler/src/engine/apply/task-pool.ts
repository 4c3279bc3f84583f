/**
 * A small promise pool with dependencies: tasks start in list order, at most `concurrency` at a
 * time, each once the tasks it depends on have finished. A task whose hard dependency did not
 * succeed is not run; it is resolved as blocked with the reason. No dependency is added for this.
 */

/** A unit of work in the pool. */
export interface PoolTask {
  id: string;
  /** Hard dependencies: must all succeed, or this task is blocked. */
  after: readonly string[];
  /** Soft dependencies: must finish first (success or not). @default [] */
  waitFor?: readonly string[];
}

/** How to run and judge tasks. */
export interface PoolHandlers<T extends PoolTask, R> {
  /** Runs a task; should not reject (a rejection is turned into `blocked` with its message). */
  run(task: T): Promise<R>;
  /** The result of a task that cannot run, with why. */
  blocked(task: T, reason: string): R;
  /** Whether a result lets hard dependants run. */
  succeeded(result: R): boolean;
}

type Readiness = { kind: 'wait' } | { kind: 'run' } | { kind: 'blocked'; reason: string };

function readiness<R>(
  task: PoolTask,
  known: ReadonlySet<string>,
  results: ReadonlyMap<string, R>,
  succeeded: (r: R) => boolean,
): Readiness {
  for (const dep of task.after) {
    if (!known.has(dep)) return { kind: 'blocked', reason: `depends on ${dep}, which is not in the plan` };
    const result = results.get(dep);
    if (result === undefined) return { kind: 'wait' };
    if (!succeeded(result)) return { kind: 'blocked', reason: `depends on ${dep}, which did not succeed` };
  }
  for (const dep of task.waitFor ?? []) {
    if (known.has(dep) && !results.has(dep)) return { kind: 'wait' };
  }
  return { kind: 'run' };
}

/**
 * Runs every task, respecting dependencies and the concurrency bound; resolves with a result
 * for every task, keyed by id. Tasks left in a dependency cycle are resolved as blocked.
 */
export function runTaskGraph<T extends PoolTask, R>(
  tasks: readonly T[],
  concurrency: number,
  handlers: PoolHandlers<T, R>,
): Promise<Map<string, R>> {
  const limit = Math.max(1, Math.floor(concurrency));
  const known = new Set(tasks.map((t) => t.id));
  const results = new Map<string, R>();
  const pending = [...tasks];
  let running = 0;
  return new Promise((resolve) => {
    function start(task: T): void {
      running += 1;
      void handlers
        .run(task)
        .catch((err: unknown) => handlers.blocked(task, err instanceof Error ? err.message : String(err)))
        .then((result) => {
          results.set(task.id, result);
          running -= 1;
          pump();
        });
    }
    function pump(): void {
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (let i = 0; i < pending.length && running < limit; i += 1) {
          const task = pending[i] as T;
          const ready = readiness(task, known, results, (r) => handlers.succeeded(r));
          if (ready.kind === 'wait') continue;
          pending.splice(i, 1);
          i -= 1;
          progressed = true;
          if (ready.kind === 'blocked') results.set(task.id, handlers.blocked(task, ready.reason));
          else start(task);
        }
      }
      if (running > 0) return;
      for (const task of pending.splice(0)) results.set(task.id, handlers.blocked(task, 'in a dependency cycle'));
      resolve(results);
    }
    pump();
  });
}

/**
 * Runs `fn` over `items` with at most `concurrency` in flight; results in input order.
 * @throws the first error (in input order) once every item has finished
 */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  type Outcome = { ok: true; value: R } | { ok: false; error: unknown };
  const tasks = items.map((item, index) => ({ id: String(index), after: [], item, index }));
  const out = await runTaskGraph<(typeof tasks)[number], Outcome>(tasks, concurrency, {
    run: async (t) => {
      try {
        return { ok: true, value: await fn(t.item, t.index) };
      } catch (error: unknown) {
        return { ok: false, error };
      }
    },
    blocked: (_t, reason) => ({ ok: false, error: new Error(reason) }),
    succeeded: (r) => r.ok,
  });
  return tasks.map((t) => {
    const r = out.get(t.id);
    if (r === undefined) throw new Error(`task ${t.id} did not run`);
    if (!r.ok) throw r.error;
    return r.value;
  });
}
