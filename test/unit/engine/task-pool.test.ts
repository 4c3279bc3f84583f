import { describe, expect, it } from 'vitest';
import { runPool, runTaskGraph } from '../../../reconciler/src/engine/apply/task-pool.js';
import type { PoolTask } from '../../../reconciler/src/engine/apply/task-pool.js';

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}

interface Probe {
  started: string[];
  maxInFlight: number;
}

async function runGraph(
  tasks: (PoolTask & { fail?: boolean })[],
  concurrency: number,
): Promise<{ probe: Probe; results: Record<string, string> }> {
  const probe: Probe = { started: [], maxInFlight: 0 };
  let inFlight = 0;
  const out = await runTaskGraph(tasks, concurrency, {
    async run(task) {
      probe.started.push(task.id);
      inFlight += 1;
      probe.maxInFlight = Math.max(probe.maxInFlight, inFlight);
      await tick();
      inFlight -= 1;
      return task.fail ? 'failed' : 'done';
    },
    blocked: (_task, reason) => `skipped: ${reason}`,
    succeeded: (r) => r === 'done',
  });
  return { probe, results: Object.fromEntries(out) };
}

describe('runTaskGraph', () => {
  it.each([1, 3, 8])('never has more than %i tasks in flight, and runs them all', async (concurrency) => {
    const tasks = Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, after: [] }));

    const { probe, results } = await runGraph(tasks, concurrency);

    expect(probe.maxInFlight).toBe(concurrency);
    expect(Object.values(results).filter((r) => r === 'done')).toHaveLength(20);
  });

  it('starts tasks in list order', async () => {
    const tasks = ['destroy-a', 'replace-b', 'create-c', 'start-d'].map((id) => ({ id, after: [] }));

    const { probe } = await runGraph(tasks, 1);

    expect(probe.started).toEqual(['destroy-a', 'replace-b', 'create-c', 'start-d']);
  });

  it('runs a task after its dependencies, even when it comes first', async () => {
    const tasks = [
      { id: 'start', after: ['resize'] },
      { id: 'resize', after: [] },
      { id: 'other', after: [] },
    ];

    const { probe } = await runGraph(tasks, 4);

    expect(probe.started.indexOf('resize')).toBeLessThan(probe.started.indexOf('start'));
  });

  it('skips dependants of a failed task (transitively), not independent ones', async () => {
    const tasks = [
      { id: 'create', after: [], fail: true },
      { id: 'retag', after: ['create'] },
      { id: 'stop', after: ['retag'] },
      { id: 'other', after: [] },
    ];

    const { results } = await runGraph(tasks, 2);

    expect(results).toEqual({
      create: 'failed',
      retag: 'skipped: depends on create, which did not succeed',
      stop: 'skipped: depends on retag, which did not succeed',
      other: 'done',
    });
  });

  it('waits for soft dependencies whatever their outcome', async () => {
    const tasks = [
      { id: 'resize', after: [], fail: true },
      { id: 'retag', after: [], waitFor: ['resize'] },
    ];

    const { probe, results } = await runGraph(tasks, 2);

    expect(probe.started).toEqual(['resize', 'retag']);
    expect(results.retag).toBe('done');
  });

  it.each([
    [
      'an unknown dependency',
      [{ id: 'a', after: ['nope'] }],
      { a: 'skipped: depends on nope, which is not in the plan' },
    ],
    [
      'a cycle',
      [
        { id: 'a', after: ['b'] },
        { id: 'b', after: ['a'] },
      ],
      { a: 'skipped: in a dependency cycle', b: 'skipped: in a dependency cycle' },
    ],
  ])('resolves %s as skipped', async (_name, tasks, expected) => {
    const { results } = await runGraph(tasks, 2);

    expect(results).toEqual(expected);
  });

  it('turns a rejected run into a blocked result', async () => {
    const out = await runTaskGraph([{ id: 'a', after: [] }], 1, {
      run: () => Promise.reject(new Error('boom')),
      blocked: (_t, reason) => reason,
      succeeded: () => true,
    });

    expect(out.get('a')).toBe('boom');
  });
});

describe('runPool', () => {
  it('returns results in input order with bounded concurrency', async () => {
    let inFlight = 0;
    let max = 0;

    const out = await runPool([5, 1, 3, 2, 4], 2, async (n) => {
      inFlight += 1;
      max = Math.max(max, inFlight);
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight -= 1;
      return n * 10;
    });

    expect([out, max]).toEqual([[50, 10, 30, 20, 40], 2]);
  });

  it('rethrows the first error after every item has finished', async () => {
    const done: number[] = [];

    const outcome = await runPool([1, 2, 3], 3, (n) => {
      if (n === 2) return Promise.reject(new Error('two'));
      done.push(n);
      return Promise.resolve(n);
    }).catch((err: unknown) => (err as Error).message);

    expect([outcome, done.sort()]).toEqual(['two', [1, 3]]);
  });
});
