import { describe, expect, it } from 'vitest';
import { planJobs } from '../../../../reconciler/src/kinds/job/plan.js';
import { jobEstimate } from '../../../../reconciler/src/cost/job-estimate.js';
import { job, submitted } from './job-fixtures.js';
import { REPO, desired, observed } from '../workstation/plan-fixtures.js';

describe('planJobs', () => {
  it.each([
    ['never submitted', [], ['submit-job spinup']],
    ['submitted and running', ['RUNNING'], []],
    ['succeeded a week ago and forgotten by Batch', ['SUCCEEDED'], []],
    ['failed: not resubmitted without a rerun', ['FAILED'], []],
  ])('%s', (_case, statuses, expected) => {
    const spinup = job('spinup');
    const records = statuses.map((s) => submitted(spinup, s));

    const part = planJobs(desired([], { jobs: [spinup] }), observed([]), records);

    expect(part.actions.map((a) => `${a.kind} ${a.resource.name}`)).toEqual(expected);
  });

  it('submits again for a rerun and for a changed spec', () => {
    const old = job('spinup');
    const rerun = job('spinup', { rerun: 1 });
    const changed = job('spinup', { specHash: 'ffffffffffffffff' });

    const byRerun = planJobs(desired([], { jobs: [rerun] }), observed([]), [submitted(old, 'SUCCEEDED')]);
    const bySpec = planJobs(desired([], { jobs: [changed] }), observed([]), [submitted(old, 'RUNNING')]);

    expect(byRerun.actions[0]?.reason).toContain('rerun 1 (was 0)');
    expect(bySpec.actions[0]?.reason).toContain('spec changed since id-spinup (RUNNING)');
  });

  it('submits dependencies first: by name within one apply, by id from the record, none once succeeded', () => {
    const a = job('a');
    const b = job('b', { dependsOn: [{ job: 'a' }] });
    const c = job('c', { array: 4, dependsOn: [{ job: 'd', type: 'N_TO_N' }] });
    const d = job('d', { array: 4 });
    const e = job('e', { dependsOn: [{ job: 'f' }] });
    const f = job('f');

    const part = planJobs(desired([], { jobs: [e, d, c, b, a, f] }), observed([]), [
      submitted(d, 'RUNNING'),
      submitted(f, 'SUCCEEDED'),
    ]);

    const deps = Object.fromEntries(
      part.actions.map((x) => [x.resource.name, [x.after, x.details.kind === 'submit-job' ? x.details.dependsOn : []]]),
    );
    expect(deps).toEqual({
      a: [[], []],
      b: [['Job/a/submit-job'], [{ job: 'a', jobName: a.jobName, queue: 'research-spot' }]],
      c: [[], [{ job: 'd', jobName: d.jobName, queue: 'research-spot', type: 'N_TO_N', jobId: 'id-d' }]],
      e: [[], []],
    });
  });

  it('holds a job back when a dependency failed or was cancelled', () => {
    const a = job('a');
    const b = job('b', { dependsOn: [{ job: 'a' }] });

    const part = planJobs(desired([], { jobs: [a, b] }), observed([]), [submitted(a, 'FAILED')]);

    expect(part.actions).toEqual([]);
    expect(part.refusals).toEqual([
      {
        code: 'job-blocked',
        message: 'job b: not submitted: dependency a (id-a) FAILED; bump its rerun to run it again',
        resource: { kind: 'Job', name: 'b' },
      },
    ]);
  });

  it.each([
    ['RUNNABLE', true, 'cancel-job', 'CancelJob id-gone (RUNNABLE)'],
    ['RUNNING', true, 'cancel-job', 'TerminateJob id-gone (RUNNING)'],
    ['RUNNING', false, 'orphan', 'prune is off'],
  ])('a removed job seen %s with prune %s: %s', (status, prune, kind, words) => {
    const gone = job('gone');

    const part = planJobs(
      desired([], { jobs: [], lab: { prune } }),
      observed([], {
        jobs: [
          {
            jobId: 'id-gone',
            jobName: gone.jobName,
            region: 'us-east-1',
            status,
            tags: { 'labops:repo': REPO, 'labops:name': 'gone' },
          },
        ],
      }),
      [submitted(gone, 'SUBMITTED')],
    );

    expect(part.actions.map((a) => [a.kind, a.destructive])).toEqual([[kind, kind === 'cancel-job']]);
    expect(part.actions[0]?.reason).toContain(words);
  });

  it.each([
    ['no labops tags', {}],
    ['another repository', { 'labops:repo': 'other/lab', 'labops:name': 'gone' }],
    ['another Job of this repository', { 'labops:repo': REPO, 'labops:name': 'align' }],
  ])('never stops a job the record names for a removed Job when Batch tags it otherwise (%s)', (_case, tags) => {
    const gone = job('gone');

    const part = planJobs(
      desired([], { jobs: [], lab: { prune: true } }),
      observed([], {
        jobs: [{ jobId: 'id-gone', jobName: gone.jobName, region: 'us-east-1', status: 'RUNNING', tags }],
      }),
      [submitted(gone, 'SUBMITTED')],
    );

    expect(part.actions).toEqual([]);
  });

  it('never cancels a job whose spec is only invalid, or one that already ended', () => {
    const broken = job('broken');
    const done = job('done');

    const part = planJobs(
      desired([], { jobs: [], unknownJobs: ['broken'], lab: { prune: true } }),
      observed([], {
        jobs: [{ jobId: 'id-broken', jobName: broken.jobName, region: 'us-east-1', status: 'RUNNING', tags: {} }],
      }),
      [submitted(broken, 'RUNNING'), submitted(done, 'SUCCEEDED')],
    );

    expect(part.actions).toEqual([]);
  });
});

describe('jobEstimate', () => {
  it.each([
    [
      'timeout × array on the cheapest fitting type',
      { array: 12, timeoutSeconds: 6 * 3600 },
      /^\$\d+\.\d\d: 12 × 8 vCPU\/32000 MiB × 6h \(timeout\) on [a-z0-9.]+ at \$\d+\.\d{4}\/h$/,
    ],
    ['an hour by default', {}, /× 1h \(no timeout: default\)/],
  ])('%s', (_case, overrides, basis) => {
    const estimate = jobEstimate(job('x', overrides));

    expect(estimate?.basis).toMatch(basis);
    expect(estimate?.usd).toBeGreaterThan(0);
  });

  it('is proportional to array size and duration', () => {
    const one = jobEstimate(job('x', { timeoutSeconds: 3600 }))!.usd;
    const many = jobEstimate(job('x', { array: 10, timeoutSeconds: 2 * 3600 }))!.usd;

    // Each figure is rounded to cents: twenty times a rounded cent is at most 10 cents off.
    expect(Math.abs(many - one * 20)).toBeLessThanOrEqual(0.1);
  });

  it('is unknown for a registered definition', () => {
    expect(jobEstimate(job('x', { definition: { registered: 'model:3' } }))).toBeUndefined();
  });
});
