/**
 * Fixtures of the cost-* integration tests: a lab on disk, the real ports and the real Cost
 * Explorer adapter against `labops sim`, a run record in a file, and `reconcile`, which sets the
 * simulated clock and runs the whole pipeline with budgets, as `labops reconcile` does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createCostsPort } from '../../reconciler/src/aws/costs.js';
import type { CostsPortHandle } from '../../reconciler/src/aws/costs.js';
import { loadCatalog } from '../../reconciler/src/environments/catalog.js';
import type { RunRecord } from '../../reconciler/src/model/record.js';
import { TAG } from '../../reconciler/src/model/tags.js';
import type { UsageSegment } from '../../reconciler/src/sim/core/contract.js';
import { fileRecordStore } from '../../reconciler/src/record/file-store.js';
import { run } from '../../reconciler/src/engine/pipeline.js';
import type { RunMode } from '../../reconciler/src/engine/pipeline.js';
import { view } from '../support/run-view.js';
import type { RunView } from '../support/run-view.js';
import { makeLab } from '../support/lab-fixture.js';
import { REPO, startHarness } from './apply-harness.js';
import type { Harness } from './apply-harness.js';

/** The lab: the sim's account, us-east-1, a New York calendar without breaks. */
export const COST_LAB_YAML = `apiVersion: labops/v1
kind: Lab
metadata: { name: cost-lab }
spec:
  aws: { accountId: "123456789012", defaultRegion: us-east-1, regions: [us-east-1] }
  admins: [pi]
  policy: { allowedInstanceTypes: ["m6i.*", "t3.*"], maxWorkstationsPerOwner: 5, requireBudget: false }
  calendar: { timezone: America/New_York }
  notify: ["@pi"]
`;

/** An m6i.large workstation with a 60 GiB root, in `project`, with extra `spec` lines. */
export function costWorkstation(name: string, project: string, extra = ''): string {
  return `apiVersion: labops/v1
kind: Workstation
metadata: { name: ${name}, owner: ${name}, project: ${project} }
spec:
  environment: data-science-python@^1
  instanceType: m6i.large
  storage: { rootGiB: 60 }
${extra}`;
}

/** A Budget of `project` with `spec` lines for period, thresholds and actions. */
export function costBudget(name: string, project: string, limitUSD: number, lines: string): string {
  return `apiVersion: labops/v1
kind: Budget
metadata: { name: ${name} }
spec:
  project: ${project}
  limitUSD: ${limitUSD}
${lines}`;
}

/** A lab, the sim, and the pipeline with budgets at a simulated time. */
export interface CostHarness {
  h: Harness;
  costs: CostsPortHandle;
  write(files: Record<string, string>): void;
  reconcile(iso: string, mode?: RunMode): Promise<RunView>;
  record(): Promise<RunRecord>;
  /** Where the run record file is (to forge it in security tests). */
  recordPath: string;
  close(): Promise<void>;
}

/** Starts the sim at `start` and writes the lab with `files`. */
export async function startCostHarness(files: Record<string, string>, start: string): Promise<CostHarness> {
  const h = await startHarness({ start });
  const settings = h.sim.settings();
  const costs = createCostsPort({
    endpoint: h.sim.url,
    credentials: settings.credentials,
    maxAttempts: settings.maxAttempts,
    retryStrategy: settings.retryStrategy,
  });
  const lab = makeLab({ 'labops.yaml': COST_LAB_YAML, ...files }, null);
  const recordPath = join(lab.dir, '.labops', 'record.json');
  const store = fileRecordStore(recordPath);
  const catalog = loadCatalog().environments;
  return {
    h,
    costs,
    write(more) {
      for (const [path, text] of Object.entries(more)) {
        mkdirSync(dirname(join(lab.dir, path)), { recursive: true });
        writeFileSync(join(lab.dir, path), text);
      }
    },
    async reconcile(iso, mode = 'apply') {
      await h.sim.control.setClock(iso);
      const now = new Date(await h.sim.control.now());
      return view(
        await run(
          { dir: lab.dir, repo: () => Promise.resolve(REPO), mode, now },
          {
            catalog,
            ports: () => h.ports,
            sleep: (ms) => h.sleep(ms),
            random: () => 0.5,
            record: store,
            costs: () => costs,
          },
        ),
      );
    },
    record: () => store.load(),
    recordPath,
    async close() {
      costs.destroy();
      await h.close();
      lab.cleanup();
    },
  };
}

/** What the sim bills `project` (usage tagged `labops:project`) over `[from, to)`, epoch ms. */
export function billed(usage: readonly UsageSegment[], project: string, from: number, to: number): number {
  let usd = 0;
  for (const s of usage) {
    if (s.tags[TAG.project] !== project) continue;
    const a = Math.max(from, Date.parse(s.start));
    const b = Math.min(to, s.end === undefined ? Number.POSITIVE_INFINITY : Date.parse(s.end));
    if (b > a) usd += ((b - a) / 3_600_000) * s.hourlyUSD;
  }
  return usd;
}

/** When `project`'s billed spend from `from` first reaches `usd` (to the second), or undefined by `to`. */
export function billedCrossing(
  usage: readonly UsageSegment[],
  project: string,
  usd: number,
  from: number,
  to: number,
): number | undefined {
  if (billed(usage, project, from, to) < usd) return undefined;
  let [lo, hi] = [from, to];
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if (billed(usage, project, from, mid) >= usd) hi = mid;
    else lo = mid;
  }
  return hi;
}
