/** The pure status seam: (desired, observed, now) → rows, detail and their text/markdown forms. */
import { describe, expect, it } from 'vitest';
import type { ObservedInstance } from '../../../../reconciler/src/model/observed.js';
import { TAG } from '../../../../reconciler/src/model/tags.js';
import { workstationDetail } from '../../../../reconciler/src/kinds/workstation/status-detail.js';
import {
  renderStatusDetailMarkdown,
  renderStatusReportMarkdown,
} from '../../../../reconciler/src/report/status-markdown.js';
import { buildStatus } from '../../../../reconciler/src/kinds/workstation/status-rows.js';
import { alignRows, renderStatusDetailText, renderStatusText } from '../../../../reconciler/src/report/status-text.js';
import {
  desired,
  instanceOf,
  launchTags,
  NIGHT,
  observed,
  schedule,
  WORK_HOURS,
  workstation,
} from './plan-fixtures.js';

const scheduled = workstation({ schedule: schedule() });
const hibernating = workstation({
  name: 'bob-hib',
  owner: 'bob',
  hibernation: true,
  idle: { afterSeconds: 1800, cpuBelowPercent: 5, action: 'hibernate' },
});

describe('buildStatus', () => {
  it.each([
    [
      'running in work hours',
      scheduled,
      instanceOf(scheduled),
      WORK_HOURS,
      {
        state: 'running',
        desiredState: 'running',
        matches: true,
        rule: 'schedule: work hours (Mon-Fri 08:00-19:00 America/New_York)',
      },
    ],
    [
      'running at night',
      scheduled,
      instanceOf(scheduled),
      NIGHT,
      {
        state: 'running',
        desiredState: 'stopped',
        matches: false,
        rule: 'schedule: off hours (Mon-Fri 08:00-19:00 America/New_York)',
      },
    ],
    [
      'stopped at night',
      scheduled,
      instanceOf(scheduled, { state: 'stopped' }),
      NIGHT,
      { state: 'stopped', desiredState: 'stopped', matches: true },
    ],
    [
      'hibernated is not stopped',
      scheduled,
      instanceOf(scheduled, { state: 'stopped', stateReason: 'Client.UserInitiatedHibernate' }),
      NIGHT,
      { state: 'hibernated', desiredState: 'stopped', matches: false },
    ],
    [
      'in transition',
      scheduled,
      instanceOf(scheduled, { state: 'pending' }),
      WORK_HOURS,
      { state: 'pending', matches: false },
    ],
    [
      'not created yet',
      scheduled,
      undefined,
      WORK_HOURS,
      { state: 'absent', instanceId: null, matches: false, instanceType: null },
    ],
    [
      'a resize due',
      scheduled,
      instanceOf(scheduled, { instanceType: 'm6i.xlarge' }),
      WORK_HOURS,
      { instanceType: 'm6i.xlarge', desiredInstanceType: 'm6i.large' },
    ],
    [
      'held off after an idle stop',
      scheduled,
      instanceOf(scheduled, { state: 'stopped', tags: { ...launchTags(scheduled, 'stopped'), [TAG.idleHold]: 'x' } }),
      WORK_HOURS,
      { desiredState: 'stopped', matches: true },
    ],
  ] as [string, typeof scheduled, ObservedInstance | undefined, Date, Record<string, unknown>][])(
    '%s',
    (_name, ws, instance, now, expected) => {
      const report = buildStatus(desired([ws]), observed(instance ? [instance] : []), now);

      expect(report.workstations[0]).toMatchObject(expected);
    },
  );

  it('names the idle rule from observed CPU', () => {
    const instance = instanceOf(hibernating);

    const report = buildStatus(
      desired([hibernating]),
      observed([instance], {
        utilisation: {
          [instance.instanceId]: {
            instanceId: instance.instanceId,
            idleSeconds: 2100,
            averageCpuPercent: 1,
            datapoints: 7,
          },
        },
      }),
      WORK_HOURS,
    );

    expect(report.workstations[0]).toMatchObject({
      desiredState: 'hibernated',
      rule: 'idle 35m < 5% CPU',
      matches: false,
    });
  });

  it.each([
    [[], 'spec removed'],
    [['workstations/broken.yaml'], 'spec unreadable'],
  ])('calls an undeclared instance an orphan, unreadable while files %j did not parse', (unknownFiles, reason) => {
    const report = buildStatus(
      desired([], { unknownFiles }),
      observed([instanceOf(workstation({ name: 'carol-old' }))]),
      WORK_HOURS,
    );

    expect(report.orphans.map((o) => [o.name, o.reason])).toEqual([['carol-old', reason]]);
  });

  it('lists orphans (spec removed, duplicates), invalid specs, run-rates and the account', () => {
    const gone = workstation({ name: 'carol-old', owner: 'carol' });
    const invalid = workstation({ name: 'dave-broken', owner: 'dave' });
    const older = instanceOf(scheduled, {
      instanceId: 'i-older',
      tags: { ...launchTags(scheduled), [TAG.generation]: '0' },
    });
    const newer = instanceOf(scheduled, {
      instanceId: 'i-newer',
      tags: { ...launchTags(scheduled), [TAG.generation]: '1' },
    });

    const report = buildStatus(
      desired([scheduled], { unknownWorkstations: ['dave-broken'] }),
      observed([older, newer, instanceOf(gone), instanceOf(invalid, { state: 'stopped' })], {
        accountId: '999999999999',
      }),
      WORK_HOURS,
    );

    expect(report.workstations.map((w) => [w.name, w.spec, w.instanceId, w.rule])).toEqual([
      ['alice-neuro', 'valid', 'i-newer', 'schedule: work hours (Mon-Fri 08:00-19:00 America/New_York)'],
      ['dave-broken', 'invalid', 'i-dave-broken', 'spec invalid: instance left as is'],
    ]);
    expect(report.orphans.map((o) => [o.name, o.instanceId, o.reason])).toEqual([
      ['alice-neuro', 'i-older', 'duplicate'],
      ['carol-old', 'i-carol-old', 'spec removed'],
    ]);
    expect(report.workstations[0]!.monthlyUSD).toBeGreaterThan(0);
    expect(report.totalMonthlyUSD).toBeCloseTo(
      report.workstations.concat().reduce((s, w) => s + w.monthlyUSD, 0) +
        report.orphans.reduce((s, o) => s + o.monthlyUSD, 0),
      2,
    );
    expect([report.accountId, report.expectedAccountId]).toEqual(['999999999999', '123456789012']);
  });
});

describe('kept volumes', () => {
  it('lists volumes of this repository attached to no instance, with their storage cost in the total', () => {
    const instance = instanceOf(scheduled);
    const kept = {
      volumeId: 'vol-kept',
      region: 'us-east-1',
      availabilityZone: 'us-east-1a',
      sizeGiB: 100,
      type: 'gp3',
      state: 'available',
      tags: { [TAG.repo]: 'uni/neuro-lab', [TAG.name]: 'gone-ws', [TAG.volume]: 'data' },
    };
    const foreign = { ...kept, volumeId: 'vol-foreign', tags: { [TAG.repo]: 'other/repo', [TAG.name]: 'x' } };
    const attached = {
      ...kept,
      volumeId: 'vol-alice-neuro-data',
      state: 'in-use',
      attachedTo: instance.instanceId,
      tags: { ...kept.tags, [TAG.name]: 'alice-neuro' },
    };

    const report = buildStatus(
      desired([scheduled]),
      observed([instance], { volumes: [kept, foreign, attached] }),
      WORK_HOURS,
    );

    expect(report.keptVolumes).toEqual([
      {
        name: 'gone-ws',
        volume: 'data',
        volumeId: 'vol-kept',
        region: 'us-east-1',
        sizeGiB: 100,
        type: 'gp3',
        state: 'available',
        monthlyUSD: 8,
      },
    ]);
    expect(report.totalMonthlyUSD).toBeCloseTo(report.workstations[0]!.monthlyUSD + 8, 2);
    expect(renderStatusText(report, { color: false })).toMatch(
      /Kept volumes[^\n]*\n.*\n\s+gone-ws\s+data\s+vol-kept\s+us-east-1\s+100 GiB\s+gp3\s+\$8\.00/,
    );
    expect(renderStatusReportMarkdown(report)).toContain('| **gone-ws** | data | `vol-kept` |');
  });
});

describe('workstationDetail', () => {
  it('adds volumes (attached, then kept apart), environment, AMI and sorted tags', () => {
    const instance = instanceOf(scheduled);
    const apart = {
      volumeId: 'vol-old-data',
      region: 'us-east-1',
      availabilityZone: 'us-east-1a',
      sizeGiB: 50,
      type: 'gp3',
      state: 'available',
      tags: { [TAG.repo]: 'uni/neuro-lab', [TAG.name]: 'alice-neuro', [TAG.volume]: 'scratch' },
    };
    const d = desired([scheduled]);
    const o = observed([instance], { volumes: [apart] });

    const detail = workstationDetail(buildStatus(d, o, WORK_HOURS), d, o, 'alice-neuro');

    expect(detail?.volumes.map((v) => [v.volumeId, v.name, v.device, v.sizeGiB, v.state])).toEqual([
      ['vol-alice-neuro-root', 'root', '/dev/sda1', 100, 'attached'],
      ['vol-alice-neuro-data', 'data', '/dev/sdf', 500, 'attached'],
      ['vol-old-data', 'scratch', null, 50, 'available'],
    ]);
    expect(detail).toMatchObject({
      environment: 'neuroimaging@1.2.0',
      launchedEnvironment: 'neuroimaging@1.2.0',
      imageId: 'ami-base0801',
    });
    expect(Object.keys(detail?.tags ?? {})).toEqual(Object.keys(instance.tags).sort());
  });

  it.each([
    ['an orphan', 'carol-old', 'orphan: spec removed'],
    ['an unknown name', 'nobody', undefined],
  ])('%s', (_name, name, rule) => {
    const d = desired([scheduled]);
    const o = observed([instanceOf(workstation({ name: 'carol-old' }))]);

    const detail = workstationDetail(buildStatus(d, o, WORK_HOURS), d, o, name);

    expect(detail?.rule).toBe(rule);
  });
});

describe('status renderers', () => {
  const d = desired([scheduled, workstation({ name: 'erin-new', owner: 'erin' })]);
  const o = observed([
    instanceOf(scheduled, { privateIp: '10.0.0.5' }),
    instanceOf(workstation({ name: 'carol-old' })),
  ]);
  const report = buildStatus(d, o, NIGHT);

  it('aligns columns', () => {
    const lines = alignRows([
      ['A', 'BB', 'x'],
      ['CCC', 'D', 'y'],
    ]);

    expect(lines).toEqual(['A    BB  x', 'CCC  D   y']);
  });

  it.each([
    [
      'text',
      () => renderStatusText(report, { color: false }),
      [
        'NAME',
        'alice-neuro',
        'stopped ✗',
        '10.0.0.5',
        'erin-new',
        'absent',
        'Orphans',
        'carol-old',
        'spec removed',
        'run-rate $',
      ],
    ],
    [
      'markdown',
      () => renderStatusReportMarkdown(report),
      ['| workstation |', '**alice-neuro**', '⚠️ stopped', '#### Orphans', 'Run-rate: **$'],
    ],
    [
      'text detail',
      () => renderStatusDetailText(report, workstationDetail(report, d, o, 'alice-neuro')!, { color: false }),
      ['alice-neuro', 'desired', 'Volumes', '/dev/sdf', '500 GiB', 'Tags', 'labops:repo'],
    ],
    [
      'markdown detail',
      () => renderStatusDetailMarkdown(report, workstationDetail(report, d, o, 'alice-neuro')!),
      ['#### alice-neuro', '#### Volumes', '`vol-alice-neuro-data`', '#### Tags'],
    ],
  ])('%s shows the essentials', (_name, render, fragments) => {
    const text = render();

    for (const fragment of fragments) expect(text).toContain(fragment);
  });

  it('keeps the text table aligned: every row starts its columns at the header offsets', () => {
    const lines = renderStatusText(report, { color: false }).split('\n');
    const headerLine = lines.find((l) => l.includes('NAME') && l.includes('OWNER'))!;

    const rows = lines.filter((l) => l.startsWith('  alice-neuro') || l.startsWith('  erin-new'));

    const starts = ['OWNER', 'STATE', 'DESIRED', '$/MONTH'].map((h) => headerLine.indexOf(h));
    expect(rows).toHaveLength(2);
    for (const row of rows)
      expect(starts.map((at) => row[at - 1] === ' ' && row[at] !== ' ')).toEqual([true, true, true, true]);
  });
});
