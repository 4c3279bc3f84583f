#!/usr/bin/env node
// Benchmark of `labops sim` at fleet scale: seeds N instances through RunInstances (MaxCount
// batches) with the real SDK, then times one full tag-filtered, paginated DescribeInstances.
// Prints API calls, wall time and peak memory. Run after `npm run build`:
//   node scripts/bench-sim.mjs [instances=10000] [batch=500] [pageSize=1000]
import { DescribeImagesCommand, EC2Client, paginateDescribeInstances, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { startSim } from '../dist/reconciler/src/sim/index.js';

const [total = 10_000, batch = 500, pageSize = 1000] = process.argv.slice(2).map(Number);
const sim = await startSim({ start: '2026-09-01T08:00:00Z', log: () => {} });
const ec2 = new EC2Client({
  endpoint: sim.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  disableClockSkewCorrection: true,
});
const image = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images[0].ImageId;

let t0 = performance.now();
for (let launched = 0; launched < total; launched += batch) {
  const count = Math.min(batch, total - launched);
  await ec2.send(
    new RunInstancesCommand({
      ImageId: image,
      InstanceType: 'm6i.large',
      MinCount: count,
      MaxCount: count,
      TagSpecifications: [
        {
          ResourceType: 'instance',
          Tags: [
            { Key: 'labops:repo', Value: 'bench-lab' },
            { Key: 'labops:name', Value: `ws-${launched}` },
          ],
        },
      ],
    }),
  );
}
const seedMs = performance.now() - t0;
await fetch(`${sim.url}/_sim/clock`, { method: 'POST', body: JSON.stringify({ advance: '2m' }) });
await fetch(`${sim.url}/_sim/calls/reset`, { method: 'POST' });

t0 = performance.now();
let seen = 0;
let pages = 0;
for await (const page of paginateDescribeInstances(
  { client: ec2, pageSize },
  { Filters: [{ Name: 'tag:labops:repo', Values: ['bench-lab'] }], MaxResults: pageSize },
)) {
  pages += 1;
  for (const r of page.Reservations ?? []) seen += r.Instances?.length ?? 0;
}
const describeMs = performance.now() - t0;
const calls = await (await fetch(`${sim.url}/_sim/calls`)).json();
ec2.destroy();
await sim.close();

const mib = (bytes) => (bytes / 1024 / 1024).toFixed(0);
console.log(
  `labops sim bench: ${total} instances (RunInstances batches of ${batch}), DescribeInstances pages of ${pageSize}`,
);
console.log(`  seed:     ${Math.ceil(total / batch)} RunInstances calls in ${seedMs.toFixed(0)} ms`);
console.log(
  `  describe: ${calls['EC2.DescribeInstances'] ?? 0} DescribeInstances calls (${pages} pages, ${seen} instances) in ${describeMs.toFixed(0)} ms`,
);
console.log(
  `  memory:   rss now ${mib(process.memoryUsage().rss)} MiB, peak (maxRSS) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);
if (seen !== total) {
  console.error(`expected ${total} instances, saw ${seen}`);
  process.exit(1);
}
// Last line: one JSON row for `npm run bench`'s table.
console.log(
  JSON.stringify({
    scenario: 'sim-describe',
    size: total,
    apiCalls: calls['EC2.DescribeInstances'] ?? 0,
    wallMs: describeMs,
    peakMiB: process.resourceUsage().maxRSS / 1024,
    note: `${pages} pages, ${seen} instances; seeding ${seedMs.toFixed(0)} ms`,
  }),
);
