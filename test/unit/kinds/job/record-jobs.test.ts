/** The record's job facts as a run keeps them, when what it read was forged with times in the future. */
import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../../../../reconciler/src/model/record.js';
import type { JobRecord, RunRecord } from '../../../../reconciler/src/model/record.js';
import { recordJobStatuses } from '../../../../reconciler/src/kinds/job/record.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');

function job(submittedAt: string): JobRecord {
  return {
    name: 'align',
    specHash: '0123456789abcdef',
    rerun: 0,
    region: 'us-east-1',
    jobId: 'job-1',
    jobName: 'labops-align-01234567-r0',
    submittedAt,
    status: 'RUNNING',
  };
}

describe('recordJobStatuses', () => {
  it.each([
    ['submitted over a week ago', '2026-11-01T00:00:00.000Z', 'FORGOTTEN'],
    ['submitted yesterday', '2026-11-21T12:00:00.000Z', 'RUNNING'],
    ['submitted in the future (a forged record): counted as long ago', '2999-01-01T00:00:00.000Z', 'FORGOTTEN'],
  ])('a job Batch no longer returns, %s: %s', (_case, submittedAt, status) => {
    const before: RunRecord = { ...emptyRecord(), jobs: [job(submittedAt)] };

    const record = recordJobStatuses([], NOW, ['job-1'])(before);

    expect(record.jobs[0]?.status).toBe(status);
    expect(before.jobs[0]?.status).toBe('RUNNING');
  });
});
