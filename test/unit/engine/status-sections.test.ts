import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../../../reconciler/src/model/record.js';
import { kindSections, kindSectionsJson, renderKindSectionsText } from '../../../reconciler/src/engine/status.js';
import { desired, observed, REPO } from '../kinds/workstation/plan-fixtures.js';

describe('status: snapshot schedules and jobs', () => {
  it('shows the last and next slot, what is kept, and job progress from the record', () => {
    const record = emptyRecord();
    record.schedules.nightly = { lastSlot: '2026-11-22T07:00:00.000Z', lastRunAt: '2026-11-22T07:05:00.000Z' };
    record.jobs.push({
      name: 'sweep',
      specHash: 'aaaaaaaaaaaaaaaa',
      rerun: 0,
      region: 'us-east-1',
      jobId: 'j-1',
      jobName: 'labops-sweep-aaaaaaaa-r0',
      submittedAt: '2026-11-21T10:00:00.000Z',
      status: 'RUNNING',
      children: { SUCCEEDED: 9, RUNNING: 3 },
    });
    const tags = {
      'labops:repo': REPO,
      'labops:kind': 'SnapshotSchedule',
      'labops:schedule': 'nightly',
      'labops:volume': 'data',
    };
    const snapshots = [
      { snapshotId: 's-1', region: 'us-east-1', volumeId: 'v', state: 'completed', startTime: '', sizeGiB: 1, tags },
      {
        snapshotId: 's-2',
        region: 'us-west-2',
        volumeId: 'v',
        state: 'completed',
        startTime: '',
        sizeGiB: 1,
        tags: { ...tags, 'labops:copy-of': 's-1' },
      },
    ];
    const lab = desired([], {
      schedules: [
        {
          name: 'nightly',
          cron: '0 2 * * *',
          timezone: 'America/New_York',
          type: 'volumes',
          retain: { count: 3 },
          copyTo: ['us-west-2'],
          workstations: ['alice-neuro'],
          budgetExempt: false,
        },
      ],
      jobs: [
        {
          name: 'sweep',
          owner: 'bob',
          project: 'atmos',
          labels: {},
          region: 'us-east-1',
          queue: 'q',
          definition: { registered: 'd:1' },
          parameters: {},
          dependsOn: [],
          rerun: 0,
          specHash: 'aaaaaaaaaaaaaaaa',
          jobName: 'labops-sweep-aaaaaaaa-r0',
        },
      ],
    });

    const sections = kindSections(lab, observed([], { snapshots }), record, new Date('2026-11-22T15:00:00Z'));
    const status = kindSectionsJson(sections);
    const text = renderKindSectionsText(sections);

    expect(status.schedules).toEqual([
      {
        name: 'nightly',
        type: 'volumes',
        cron: '0 2 * * *',
        timezone: 'America/New_York',
        lastSlot: '2026-11-22T07:00:00.000Z',
        lastRunAt: '2026-11-22T07:05:00.000Z',
        nextSlot: '2026-11-23T07:00:00.000Z',
        kept: 1,
        copies: 1,
        workstations: ['alice-neuro'],
      },
    ]);
    expect(status.jobs![0]).toMatchObject({ name: 'sweep', status: 'RUNNING', current: true });
    expect(text).toContain('2026-11-22 02:00 America/New_York  2026-11-23 02:00 America/New_York');
    expect(text).toContain('RUNNING (9/12 done: 3 running, 9 succeeded)');
  });

  it('renders nothing for a lab without schedules or jobs', () => {
    expect(renderKindSectionsText(kindSections(desired([]), observed([]), emptyRecord(), new Date()))).toBe('');
  });
});
