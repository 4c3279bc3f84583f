import { describe, expect, it } from 'vitest';
import { batchHarness, START } from './sim-batch-harness.js';

/** Batch handlers over an in-memory state, with a clock the test moves. */
function harness() {
  const { state, call, advance } = batchHarness({ queues: ['research-ondemand'] });
  call('RegisterJobDefinition', {
    jobDefinitionName: 'step',
    type: 'container',
    containerProperties: { image: 'lab/step:1' },
  });
  function submit(name: string, vars: Record<string, string>, extra: Record<string, unknown> = {}): string {
    const environment = Object.entries(vars).map(([key, value]) => ({ name: key, value }));
    return call('SubmitJob', {
      jobName: name,
      jobQueue: 'research-ondemand',
      jobDefinition: 'step',
      containerOverrides: { environment },
      ...extra,
    }).jobId as string;
  }
  function job(jobId: string): Record<string, any> {
    return call('DescribeJobs', { jobs: [jobId] }).jobs[0] ?? {};
  }
  return { state, call, advance, submit, job };
}

describe('Batch array jobs', () => {
  it('creates children <jobId>:<index> and counts them in statusSummary', () => {
    const sim = harness();
    const parent = sim.submit('sweep', { LABOPS_SIM_DURATION: '30m' }, { arrayProperties: { size: 3 } });

    sim.advance(120);
    const running = sim.job(parent);
    const children = sim.call('ListJobs', { arrayJobId: parent }).jobSummaryList;
    sim.advance(3600);
    const done = sim.job(parent);

    expect(running.status).toBe('PENDING');
    expect(running.arrayProperties.statusSummary).toMatchObject({ RUNNING: 3, SUCCEEDED: 0 });
    expect(children.map((c: any) => [c.jobId, c.arrayProperties.index])).toEqual(
      [0, 1, 2].map((i) => [`${parent}:${i}`, i]),
    );
    expect([done.status, done.arrayProperties.statusSummary.SUCCEEDED, done.arrayProperties.size]).toEqual([
      'SUCCEEDED',
      3,
      3,
    ]);
  });

  it('fails the parent when any child fails, after all children finish', () => {
    const sim = harness();
    const parent = sim.submit(
      'sweep',
      { LABOPS_SIM_DURATION: '30m', LABOPS_SIM_FAILING_INDEXES: '1' },
      { arrayProperties: { size: 4 } },
    );

    sim.advance(3600);
    const done = sim.job(parent);

    expect(done.status).toBe('FAILED');
    expect(done.arrayProperties.statusSummary).toMatchObject({ SUCCEEDED: 3, FAILED: 1 });
    expect(sim.job(`${parent}:1`).container.exitCode).toBe(1);
  });

  it('runs SEQUENTIAL children one after another in index order', () => {
    const sim = harness();
    const parent = sim.submit(
      'chain',
      { LABOPS_SIM_DURATION: '10m' },
      { arrayProperties: { size: 3 }, dependsOn: [{ type: 'SEQUENTIAL' }] },
    );

    sim.advance(3 * 3600);
    const starts = [0, 1, 2].map((i) => sim.job(`${parent}:${i}`).startedAt);
    const stops = [0, 1, 2].map((i) => sim.job(`${parent}:${i}`).stoppedAt);

    expect(starts[1]).toBeGreaterThan(stops[0]);
    expect(starts[2]).toBeGreaterThan(stops[1]);
  });

  it('bills each child as its own usage segment', () => {
    const sim = harness();
    const parent = sim.submit('sweep', { LABOPS_SIM_DURATION: '1h' }, { arrayProperties: { size: 5 } });

    sim.advance(2 * 3600);

    expect(sim.state.usage.map((s) => s.resourceId).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `${parent}:${i}`));
  });

  it('cancels every waiting child when the parent is cancelled', () => {
    const sim = harness();
    const parent = sim.submit('sweep', {}, { arrayProperties: { size: 3 } });

    sim.call('CancelJob', { jobId: parent, reason: 'wrong input' });

    expect([sim.job(parent).status, sim.job(parent).statusReason]).toEqual(['FAILED', 'wrong input']);
    expect(sim.job(parent).arrayProperties.statusSummary.FAILED).toBe(3);
  });
});

describe('Batch dependencies', () => {
  it('keeps a dependent PENDING until its dependency SUCCEEDED, then runs it', () => {
    const sim = harness();
    const first = sim.submit('prepare', { LABOPS_SIM_DURATION: '1h' });
    const second = sim.submit('analyse', { LABOPS_SIM_DURATION: '1h' }, { dependsOn: [{ jobId: first }] });

    sim.advance(1800);
    const waiting = sim.job(second).status;
    sim.advance(3 * 3600);

    expect(waiting).toBe('PENDING');
    expect(sim.job(second).status).toBe('SUCCEEDED');
    expect(sim.job(second).startedAt).toBeGreaterThan(sim.job(first).stoppedAt);
  });

  it('fails a dependent whose dependency failed, and its dependents in turn', () => {
    const sim = harness();
    const first = sim.submit('prepare', { LABOPS_SIM_DURATION: '10m', LABOPS_SIM_EXIT_CODE: '2' });
    const second = sim.submit('analyse', {}, { dependsOn: [{ jobId: first }] });
    const third = sim.submit('report', {}, { dependsOn: [{ jobId: second }] });

    sim.advance(3600);

    expect([first, second, third].map((id) => sim.job(id).status)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    expect(sim.job(third).statusReason).toBe('Dependent Job failed');
    expect(sim.job(third).stoppedAt).toBe(sim.job(first).stoppedAt);
  });

  it('fails dependents in the same request when their dependency is cancelled', () => {
    const sim = harness();
    const first = sim.submit('prepare', {});
    const second = sim.submit('analyse', {}, { dependsOn: [{ jobId: first }] });
    sim.advance(12);

    sim.call('CancelJob', { jobId: first, reason: 'stop' });

    expect(sim.job(second).status).toBe('FAILED');
  });

  it('lets child i of an N_TO_N dependent wait only for child i of the other array', () => {
    const sim = harness();
    const first = sim.submit(
      'fast-slow',
      { LABOPS_SIM_DURATION: '10m', LABOPS_SIM_FAILING_INDEXES: '1' },
      { arrayProperties: { size: 2 } },
    );
    const second = sim.submit(
      'follow',
      { LABOPS_SIM_DURATION: '10m' },
      { arrayProperties: { size: 2 }, dependsOn: [{ jobId: first, type: 'N_TO_N' }] },
    );

    sim.advance(3600);

    expect([sim.job(`${second}:0`).status, sim.job(`${second}:1`).status]).toEqual(['SUCCEEDED', 'FAILED']);
  });
});

describe('Batch listing', () => {
  it.each([
    [[{ name: 'JOB_NAME', values: ['ALIGN*'] }], ['align-2', 'align-1']],
    [[{ name: 'JOB_DEFINITION', values: ['step:1'] }], ['other', 'align-2', 'align-1']],
    [[{ name: 'AFTER_CREATED_AT', values: [String(Date.parse(START) + 30_000)] }], ['other', 'align-2']],
    [[{ name: 'BEFORE_CREATED_AT', values: [String(Date.parse(START) + 30_000)] }], ['align-1']],
  ])('filters %j, newest first, in any status', (filters, names) => {
    const sim = harness();
    sim.submit('align-1', {});
    sim.advance(60);
    sim.submit('align-2', {});
    sim.submit('other', {});

    const listed = sim.call('ListJobs', { jobQueue: 'research-ondemand', filters }).jobSummaryList;

    expect(listed.map((j: any) => j.jobName)).toEqual(names);
  });

  it.each([
    ['neither a queue nor an array job', {}],
    ['both a queue and an array job', { jobQueue: 'research-ondemand', arrayJobId: 'x' }],
    ['an unknown status', { jobQueue: 'research-ondemand', jobStatus: 'DONE' }],
    ['an unknown filter', { jobQueue: 'research-ondemand', filters: [{ name: 'OWNER', values: ['ada'] }] }],
  ])('refuses ListJobs with %s', (_name, input) => {
    const sim = harness();

    expect(() => sim.call('ListJobs', input)).toThrow(expect.objectContaining({ code: 'ClientException' }));
  });

  it('pages with maxResults and nextToken', () => {
    const sim = harness();
    for (let i = 0; i < 5; i++) sim.submit(`job-${i}`, {});

    const first = sim.call('ListJobs', { jobQueue: 'research-ondemand', jobStatus: 'SUBMITTED', maxResults: 3 });
    const second = sim.call('ListJobs', {
      jobQueue: 'research-ondemand',
      jobStatus: 'SUBMITTED',
      maxResults: 3,
      nextToken: first.nextToken,
    });

    expect(first.jobSummaryList).toHaveLength(3);
    expect(second.jobSummaryList).toHaveLength(2);
    expect(second.nextToken).toBeUndefined();
  });
});
