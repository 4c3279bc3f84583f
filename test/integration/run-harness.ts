/**
 * Fixtures of the pipeline-level integration tests (snapshots-*, jobs-*): a lab repository on
 * disk, the real ports against `labops sim`, a run record in a temporary file, and `reconcile`,
 * which sets the simulated clock and runs the whole pipeline (validate → observe → plan → apply
 * → record) exactly as `labops reconcile` does.
 */
import { dirname, join } from 'node:path';
import { loadCatalog } from '../../reconciler/src/environments/catalog.js';
import type { RecordStore, RunRecord } from '../../reconciler/src/model/record.js';
import { fileRecordStore } from '../../reconciler/src/record/file-store.js';
import { run } from '../../reconciler/src/engine/pipeline.js';
import type { RunMode } from '../../reconciler/src/engine/pipeline.js';
import { view } from '../support/run-view.js';
import type { RunView } from '../support/run-view.js';
import { makeLab } from '../support/lab-fixture.js';
import { REPO, startHarness } from './apply-harness.js';
import type { Harness } from './apply-harness.js';

/** `labops.yaml` of the test lab: the sim's account, two Regions, a New York calendar. */
export const LAB_YAML = `apiVersion: labops/v1
kind: Lab
metadata: { name: test-lab }
spec:
  aws: { accountId: "123456789012", defaultRegion: us-east-1, regions: [us-east-1, us-west-2] }
  admins: [pi]
  policy: { allowedInstanceTypes: ["m6i.*", "t3.*"], prune: PRUNE, requireBudget: false }
  calendar: { timezone: America/New_York }
`;

/** A workstation spec (data volume `data`, 20 GiB) with optional extra `spec` lines. */
export function workstationYaml(name: string, extra = ''): string {
  return `apiVersion: labops/v1
kind: Workstation
metadata: { name: ${name}, owner: alice, project: neuro }
spec:
  environment: data-science-python@^1
  instanceType: m6i.large
  storage: { rootGiB: 60, volumes: [ { name: data, sizeGiB: 20 } ] }
${extra}`;
}

/** A nightly SnapshotSchedule (02:00 New York) of project neuro's workstations, keeping 3. */
export const NIGHTLY_YAML = `apiVersion: labops/v1
kind: SnapshotSchedule
metadata: { name: nightly }
spec:
  selector: { project: neuro }
  cron: "0 2 * * *"
  retain: { count: 3 }
`;

/** A Job spec (owner bob, project atmos) with extra `definition` lines and extra `spec` lines. */
export function jobYaml(name: string, extra = '', definitionExtra = ''): string {
  return `apiVersion: labops/v1
kind: Job
metadata: { name: ${name}, owner: bob, project: atmos }
spec:
  queue: research-spot
  definition:
    image: public.ecr.aws/lab/model:1
    vcpus: 2
    memoryMiB: 4096
${definitionExtra}${extra}`;
}

/** A lab on disk, a harness on the sim, and the pipeline run at a given simulated time. */
export interface RunHarness {
  h: Harness;
  dir: string;
  recordPath: string;
  write(files: Record<string, string>): void;
  remove(path: string): void;
  /** Sets the simulated clock to `iso` (when given) and runs the pipeline (with another record store when given). */
  reconcile(iso?: string, mode?: RunMode, store?: RecordStore): Promise<RunView>;
  record(): Promise<RunRecord>;
  close(): Promise<void>;
}

/** Starts the sim and writes the lab (`files` besides labops.yaml); `handMadeQueues: false` starts with no Batch queue. @default handMadeQueues true */
export async function startRunHarness(
  files: Record<string, string>,
  options: { prune?: boolean; start?: string; handMadeQueues?: boolean } = {},
): Promise<RunHarness> {
  const h = await startHarness({
    start: options.start ?? '2026-11-15T12:00:00Z',
    // Without the hand-made queues the account has none: a lab's JobQueues make them.
    ...(options.handMadeQueues === false ? { queues: undefined } : {}),
  });
  const lab = makeLab({ 'labops.yaml': LAB_YAML.replace('PRUNE', String(options.prune ?? false)), ...files }, null);
  const recordPath = join(lab.dir, '.labops', 'record.json');
  const store = fileRecordStore(recordPath);
  const catalog = loadCatalog().environments;
  const { rmSync, writeFileSync, mkdirSync } = await import('node:fs');
  return {
    h,
    dir: lab.dir,
    recordPath,
    write(more) {
      for (const [path, text] of Object.entries(more)) {
        mkdirSync(dirname(join(lab.dir, path)), { recursive: true });
        writeFileSync(join(lab.dir, path), text);
      }
    },
    remove: (path) => rmSync(join(lab.dir, path), { force: true }),
    async reconcile(iso, mode = 'apply', other) {
      if (iso !== undefined) await h.sim.control.setClock(iso);
      const now = new Date(await h.sim.control.now());
      return view(
        await run(
          { dir: lab.dir, repo: () => Promise.resolve(REPO), mode, now },
          { catalog, ports: () => h.ports, sleep: (ms) => h.sleep(ms), random: () => 0.5, record: other ?? store },
        ),
      );
    },
    record: () => store.load(),
    async close() {
      await h.close();
      lab.cleanup();
    },
  };
}

/** Failed or skipped actions of a run, for assertion messages. */
export function failures(result: RunView): string[] {
  return (result.applied?.results ?? [])
    .filter((r) => r.status !== 'done')
    .map((r) => `${r.actionId}: ${r.error?.code} ${r.error?.message}`);
}
