import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { createCostsAdapter } from '../../reconciler/src/aws/costs.js';
import { AwsError } from '../../reconciler/src/aws/errors.js';
import { TAG } from '../../reconciler/src/model/tags.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim | undefined;
afterEach(async () => sim?.close());

async function launch(project: string): Promise<void> {
  const ec2 = sim!.ec2();
  const { DescribeImagesCommand } = await import('@aws-sdk/client-ec2');
  const images = await ec2.send(
    new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'architecture', Values: ['x86_64'] }] }),
  );
  await ec2.send(
    new RunInstancesCommand({
      ImageId: images.Images?.[0]?.ImageId,
      InstanceType: 'm6i.large',
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: TAG.project, Value: project }] }],
    }),
  );
}

describe('the Cost Explorer adapter', () => {
  it('reads daily cost per project tag, untagged under "", estimated days marked, every page counted', async () => {
    sim = await startTestSim({ log: () => {}, start: '2026-01-01T00:00:00Z' });
    await launch('neuro');
    await launch('atmos');
    await sim.control.advance('7200h');
    await sim.control.resetCalls();
    const costs = createCostsAdapter(sim.costExplorer());

    const daily = await costs.dailyCosts({ start: '2026-01-01', end: '2026-10-28', tagKey: TAG.project });

    const calls = await sim.control.calls();
    expect(daily.calls).toBe(calls['CostExplorer.GetCostAndUsage']);
    // Grouped by project and usage type: 300 days × 5 groups (each project's BoxUsage and public
    // IPv4, and the untagged root volumes) = 1,500 groups: three pages of at most 500.
    expect(daily.calls).toBe(3);
    expect(Object.keys(daily.dailyByTag).sort()).toEqual(['', 'atmos', 'neuro']);
    expect(daily.dailyByTag.neuro!['2026-03-01']).toBeCloseTo(24 * (0.096 + 0.005), 6);
    // The same spend by source: instance hours under compute, the address under other, the root volumes under volumes.
    expect(daily.dailyByTagSource.neuro!.compute!['2026-03-01']).toBeCloseTo(24 * 0.096, 6);
    expect(daily.dailyByTagSource.neuro!.other!['2026-03-01']).toBeCloseTo(24 * 0.005, 6);
    expect(Object.keys(daily.dailyByTagSource['']!)).toEqual(['volumes']);
    expect(daily.estimatedDates).toEqual(['2026-10-27']);
  });

  it('forecasts one project and wraps Cost Explorer errors as AwsError', async () => {
    sim = await startTestSim({ log: () => {}, start: '2026-10-01T00:00:00Z' });
    await launch('neuro');
    await sim.control.advance('48h');
    const costs = createCostsAdapter(sim.costExplorer());

    const forecast = await costs.forecast({
      start: '2026-10-03',
      end: '2026-11-01',
      tagKey: TAG.project,
      tagValue: 'neuro',
    });
    const error = await costs
      .forecast({ start: '2026-09-01', end: '2026-11-01', tagKey: TAG.project, tagValue: 'neuro' })
      .catch((err: unknown) => err);

    // Oct 3 to Nov 1 at the open run-rate: the m6i.large ($0.096/h) and its public IPv4 address ($0.005/h).
    expect(forecast.meanUSD).toBeCloseTo(29 * 24 * (0.096 + 0.005), 4);
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).code).toBe('ValidationException');
  });
});
