/**
 * The bundled Action (`node action/dist/index.js`) run as the runner runs it: INPUT_* variables,
 * GITHUB_EVENT_PATH pointing at real webhook payloads from @octokit/webhooks-examples,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, GITHUB_API_URL at the GitHub fake and
 * AWS_ENDPOINT_URL at `labops sim`, both in this process (so the child is spawned asynchronously).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { LAB_YAML, workstationYaml } from '../integration/run-harness.js';
import { startGitHubFake } from '../support/github-fake.js';
import type { FakePull, GitHubFake } from '../support/github-fake.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const require = createRequire(import.meta.url);
const EXAMPLES = require('@octokit/webhooks-examples/api.github.com/index.json') as { name: string; examples: Record<string, any>[] }[];
const example = (name: string, pick: (e: Record<string, any>) => boolean): Record<string, any> => structuredClone(EXAMPLES.find((e) => e.name === name)!.examples.find(pick)!);
const PR_OPENED = example('pull_request', (e) => e.action === 'opened' && !e.installation);
const PR_SYNC = example('pull_request', (e) => e.action === 'synchronize');
const PUSH = example('push', (e) => e.ref === 'refs/heads/master');
const REPO = PR_OPENED.repository.full_name as string;
const HEAD = PR_OPENED.pull_request.head.sha as string;
const BASE = PR_OPENED.pull_request.base.sha as string;
const MERGE = PUSH.after as string;
/** Half of a UTF-16 pair on its own: text cut through the middle of a character. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BUNDLE = join(packageRoot(), 'action/dist/index.js');
const LAB = LAB_YAML.replace('PRUNE', 'false');
const BUDGET = 'apiVersion: labops/v1\nkind: Budget\nmetadata: { name: neuro-fall }\nspec: { project: neuro, limitUSD: 5000, period: { start: 2026-08-24, end: 2026-12-18 } }\n';

let sim: TestSim;
let fake: GitHubFake;
let tmp: string;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  sim = await startTestSim({ start: '2026-09-01T14:00:00Z', clock: { speed: 600 } });
});
afterAll(async () => {
  await sim.close();
  cleanups.forEach((c) => c());
});
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'labops-action-'));
});
afterEach(async () => {
  await fake.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface ActionRun {
  status: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs the bundle as the runner would, without blocking this process (the sim answers from here). */
async function runAction(event: string, payload: unknown, workspace: string, inputs: Record<string, string> = {}, extraEnv: Record<string, string> = {}): Promise<ActionRun> {
  const eventPath = join(tmp, `event-${Math.random()}.json`);
  const output = join(tmp, 'output');
  const summary = join(tmp, 'summary');
  writeFileSync(eventPath, JSON.stringify(payload));
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: tmp,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: REPO,
    GITHUB_REF: event === 'pull_request' ? 'refs/pull/2/merge' : 'refs/heads/master',
    GITHUB_SHA: event === 'push' ? MERGE : HEAD,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_API_URL: fake.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '42',
    RUNNER_TEMP: tmp,
    LABOPS_GITHUB_SPACE_WRITES: '0',
    ...sim.env(),
    'INPUT_MODE': 'auto',
    'INPUT_PATH': 'lab',
    'INPUT_GITHUB-TOKEN': 'ghs_test',
    'INPUT_COMMENT': 'update',
    'INPUT_RECORD': 'off',
    'INPUT_AWS-REGION': '',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...extraEnv,
  };
  const child = spawn(process.execPath, [BUNDLE], { env, cwd: workspace });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
  const status = await new Promise<number | null>((ok) => child.on('close', ok));
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(output, 'utf8').matchAll(/^(.+?)<<(ghadelimiter_\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  return { status, stdout, outputs, summary: readFileSync(summary, 'utf8') };
}

function lab(files: Record<string, string>): string {
  const made = makeLab(Object.fromEntries([['lab/labops.yaml', LAB], ...Object.entries(files).map(([p, t]) => [`lab/${p}`, t])]), null);
  cleanups.push(made.cleanup);
  return made.dir;
}

function pullRequest(updatedAt: string, fork = false): Record<string, any> {
  const payload = structuredClone(PR_OPENED);
  payload.pull_request.updated_at = updatedAt;
  if (fork) payload.pull_request.head.repo.full_name = 'stranger/Hello-World';
  return payload;
}

function pull(files: string[], reviews: FakePull['reviews'] = [], extra: Partial<FakePull> = {}): FakePull {
  return { number: 2, title: 'Add things', author: 'Codertocat', headSha: HEAD, baseSha: BASE, baseRef: 'master', files: files.map((filename) => ({ filename, status: 'added' })), reviews, ...extra };
}

async function simCalls(): Promise<number> {
  return Object.values(await sim.control.calls()).reduce((a, b) => a + b, 0);
}

describe('labops Action (bundled)', { timeout: 90_000 }, () => {
  it('keeps one sticky comment: created on open, edited on synchronize, left alone by an older run', async () => {
    fake = await startGitHubFake(REPO, { pulls: [pull(['lab/workstations/ws-a.yaml'], [{ user: 'alice', state: 'APPROVED', commit_id: HEAD, submitted_at: '2026-09-01T10:00:00Z' }])], contents: { [`${BASE}:lab/labops.yaml`]: LAB } });
    const dir = lab({ 'workstations/ws-a.yaml': workstationYaml('ws-a') });

    const opened = await runAction('pull_request', pullRequest('2026-09-01T10:00:00Z'), dir);
    writeFileSync(join(dir, 'lab/workstations/ws-a.yaml'), workstationYaml('ws-a').replace('m6i.large', 'm6i.xlarge'));
    const sync = structuredClone(PR_SYNC);
    sync.pull_request.updated_at = '2026-09-01T11:00:00Z';
    const synchronized = await runAction('pull_request', sync, dir);
    const bodyAfterSync = fake.state.comments[0]?.body;
    writeFileSync(join(dir, 'lab/workstations/ws-a.yaml'), workstationYaml('ws-a').replace('m6i.large', 'm6i.2xlarge'));
    const late = await runAction('pull_request', pullRequest('2026-09-01T10:30:00Z'), dir);

    expect([opened.status, synchronized.status, late.status]).toEqual([0, 0, 0]);
    expect(fake.state.comments).toHaveLength(1);
    expect(fake.calls('POST', /comments$/)).toHaveLength(1);
    expect(fake.calls('PATCH', /comments/)).toHaveLength(1);
    expect(bodyAfterSync).toMatch(/^<!-- labops:plan repo=Codertocat\/Hello-World path=lab valid-at=2026-09-01T11:00:00Z plan=sha256:[0-9a-f]{64} -->/);
    expect(bodyAfterSync).toContain('1 to create, 0 to destroy');
    expect(bodyAfterSync).toContain('m6i.xlarge');
    expect(fake.state.comments[0]!.body).toBe(bodyAfterSync);
    expect(late.summary).toContain('a newer run (valid at 2026-09-01T11:00:00Z) wrote it');
    expect(opened.outputs['has-changes']).toBe('true');
    expect(Number(opened.outputs['monthly-delta-usd'])).toBeGreaterThan(0);
    expect(JSON.parse(opened.outputs['plan-json']!).counts.create).toBe(1);
    expect(opened.summary).toContain('Workstation/ws-a');
  });

  it('plans a fork’s pull request desired-only, with zero AWS calls', async () => {
    fake = await startGitHubFake(REPO, { pulls: [pull(['lab/workstations/ws-f.yaml'], [{ user: 'alice', state: 'APPROVED', commit_id: HEAD, submitted_at: '2026-09-01T10:00:00Z' }])], contents: { [`${BASE}:lab/labops.yaml`]: LAB } });
    const dir = lab({ 'workstations/ws-f.yaml': workstationYaml('ws-f') });
    await sim.control.resetCalls();

    const result = await runAction('pull_request', pullRequest('2026-09-01T10:00:00Z', true), dir);

    expect(result.status).toBe(0);
    expect(await simCalls()).toBe(0);
    expect(fake.state.comments[0]!.body).toMatch(/plan=desired-only -->/);
    expect(fake.state.comments[0]!.body).toContain('desired-only: no AWS access from forks');
    expect(fake.state.comments[0]!.body).toContain('1 to create');
  });

  it('fails the check for an unapproved budget change, then refuses it at apply on merge', async () => {
    fake = await startGitHubFake(REPO, { pulls: [pull(['lab/budgets/neuro-fall.yaml'])], contents: { [`${BASE}:lab/labops.yaml`]: LAB } });
    const dir = lab({ 'budgets/neuro-fall.yaml': BUDGET, 'workstations/ws-b.yaml': workstationYaml('ws-b') });

    const planned = await runAction('pull_request', pullRequest('2026-09-01T10:00:00Z'), dir);
    fake.state.pulls[0]!.mergedAt = '2026-09-01T12:00:00Z';
    fake.state.pulls[0]!.mergeCommitSha = MERGE;
    await sim.control.resetCalls();
    const applied = await runAction('push', PUSH, dir);

    expect(planned.status, planned.stdout).toBe(1);
    expect(planned.stdout).toMatch(/::error title=labops%3A approval needed,file=lab\/budgets\/neuro-fall\.yaml,line=1::Budget neuro-fall \(added\) needs an approving review from a Lab admin/);
    expect(fake.state.comments[0]!.body).toContain('❌ `Budget` neuro-fall');
    expect(applied.status).toBe(1);
    expect(applied.stdout).toContain('approval missing: budgets/neuro-fall.yaml (Budget neuro-fall) needs an approval from a Lab admin (pi)');
    expect(await simCalls()).toBe(0);
    const result = fake.state.comments.find((c) => c.body.startsWith('<!-- labops:result'));
    expect(result?.body).toContain('Apply refused');
    expect(fake.state.issues).toEqual([expect.objectContaining({ title: 'labops status', state: 'open' })]);
  });

  it('applies an approved merge and says the plan applied is the plan the pull request showed', async () => {
    fake = await startGitHubFake(REPO, { pulls: [pull(['lab/workstations/ws-c.yaml'], [{ user: 'pi', state: 'APPROVED', commit_id: HEAD, submitted_at: '2026-09-01T10:00:00Z' }])], contents: { [`${BASE}:lab/labops.yaml`]: LAB } });
    const dir = lab({ 'workstations/ws-c.yaml': workstationYaml('ws-c') });

    const planned = await runAction('pull_request', pullRequest('2026-09-01T10:00:00Z'), dir);
    fake.state.pulls[0]!.mergedAt = '2026-09-01T12:00:00Z';
    fake.state.pulls[0]!.mergeCommitSha = MERGE;
    const applied = await runAction('push', PUSH, dir);

    expect([planned.status, applied.status]).toEqual([0, 0]);
    const state = await sim.control.state();
    expect(JSON.stringify(state)).toContain('ws-c');
    const result = fake.state.comments.find((c) => c.body.startsWith('<!-- labops:result'));
    expect(result?.body).toContain('The plan applied is the plan this pull request showed');
    expect(result?.body).toContain('1 done, 0 failed');
  });

  it('reconciles on schedule and keeps injection strings inert in the comment', async () => {
    fake = await startGitHubFake(REPO, { pulls: [pull(['lab/workstations/ws-x.yaml'])], contents: { [`${BASE}:lab/labops.yaml`]: LAB } });
    const evil = workstationYaml('ws-x').replace('data-science-python@^1', '"@everyone </details><script>alert(1)</script> ```"');
    const dir = lab({ 'workstations/ws-x.yaml': evil });

    const planned = await runAction('pull_request', pullRequest('2026-09-01T10:00:00Z'), dir);
    writeFileSync(join(dir, 'lab/workstations/ws-x.yaml'), workstationYaml('ws-x'));
    const reconciled = await runAction('schedule', { schedule: '*/15 * * * *' }, dir);

    const body = fake.state.comments[0]!.body;
    const outsideCode = body.replace(/^(`{3,})yaml\n[^\n]*\n\1$/gm, '');
    expect(planned.status).toBe(1);
    expect(planned.stdout).toMatch(/::error title=labops%3A [^,]+,file=lab\/workstations\/ws-x\.yaml,line=\d+/);
    expect(body).not.toMatch(/@everyone/);
    expect(outsideCode).not.toContain('<script>');
    expect(outsideCode).not.toContain('```');
    expect(reconciled.status).toBe(0);
    expect(JSON.stringify(await sim.control.state())).toContain('ws-x');
  });

  it('holds a change merged without its approval: the rest applies, scheduled reconciles keep it out, an approved change releases it', async () => {
    // Arrange: bob's workstation exists; a merge resizes it without bob (or an admin) and adds alice's, approved by alice.
    const bobs = workstationYaml('ws-held').replace('owner: alice', 'owner: bob');
    const resized = bobs.replace('m6i.large', 'm6i.xlarge');
    const record = join(tmp, 'record.json');
    const merge2 = 'b'.repeat(40);
    const head2 = 'c'.repeat(40);
    fake = await startGitHubFake(REPO, {
      pulls: [
        { ...pull([], [{ user: 'alice', state: 'APPROVED', commit_id: HEAD, submitted_at: '2026-09-01T10:00:00Z' }], { mergedAt: '2026-09-01T12:00:00Z', mergeCommitSha: MERGE }), files: [{ filename: 'lab/workstations/ws-held.yaml', status: 'modified' }, { filename: 'lab/workstations/ws-new.yaml', status: 'added' }] },
        { ...pull([], [{ user: 'alice', state: 'APPROVED', commit_id: head2, submitted_at: '2026-09-02T10:00:00Z' }], { number: 3, headSha: head2, baseSha: MERGE, mergedAt: '2026-09-02T12:00:00Z', mergeCommitSha: merge2 }), files: [{ filename: 'lab/workstations/ws-held.yaml', status: 'modified' }] },
      ],
      contents: { [`${BASE}:lab/labops.yaml`]: LAB, [`${BASE}:lab/workstations/ws-held.yaml`]: bobs, [`${MERGE}:lab/labops.yaml`]: LAB, [`${MERGE}:lab/workstations/ws-held.yaml`]: resized },
    });
    const dir = lab({ 'workstations/ws-held.yaml': bobs });
    const typeOf = async (name: string): Promise<string[]> => {
      const out = await sim.ec2('us-east-1').send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:labops:name', Values: [name] }, { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }] }));
      return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceType!);
    };
    const inputs = { record };
    const created = await runAction('schedule', { schedule: '*/15 * * * *' }, dir, inputs);
    writeFileSync(join(dir, 'lab/workstations/ws-held.yaml'), resized);
    writeFileSync(join(dir, 'lab/workstations/ws-new.yaml'), workstationYaml('ws-new'));
    const push2 = { ...structuredClone(PUSH), after: merge2, before: MERGE };

    // Act + Assert, step by step.
    const merged = await runAction('push', PUSH, dir, inputs);
    expect(created.status, created.stdout).toBe(0);
    expect(merged.status, merged.stdout).toBe(1);
    expect(merged.stdout).toContain('approval missing: workstations/ws-held.yaml (Workstation ws-held) needs its owner bob or a Lab admin (pi)');
    expect(await typeOf('ws-new')).toEqual(['m6i.large']);
    expect(await typeOf('ws-held')).toEqual(['m6i.large']);
    const held = JSON.parse(readFileSync(record, 'utf8')).holds['workstations/ws-held.yaml'];
    expect(held).toMatchObject({ baseContent: bobs, sha: MERGE, reasons: [expect.stringContaining('needs its owner bob')] });
    expect(held.clearedAt).toBeUndefined();
    expect(fake.state.comments.find((c) => c.body.startsWith('<!-- labops:result'))?.body).toContain('Held: these changes were merged without the approval they need');

    const scheduled = await runAction('schedule', { schedule: '*/15 * * * *' }, dir, inputs);
    expect(scheduled.status, scheduled.stdout).toBe(0);
    expect(await typeOf('ws-held')).toEqual(['m6i.large']);
    expect(fake.state.issues[0]!.body).toContain('workstations/ws-held.yaml is held at its last approved version');

    // A later change to the file approved by alice only is measured from bob's approved text: still held.
    writeFileSync(join(dir, 'lab/workstations/ws-held.yaml'), `${resized}# resized for the fMRI batch\n`);
    const notBob = await runAction('push', push2, dir, inputs, { GITHUB_SHA: merge2 });
    expect(notBob.status, notBob.stdout).toBe(1);
    expect(await typeOf('ws-held')).toEqual(['m6i.large']);
    expect(JSON.parse(readFileSync(record, 'utf8')).holds['workstations/ws-held.yaml']).toMatchObject({ since: held.since, sha: merge2, baseContent: bobs });

    fake.state.pulls[1]!.reviews!.push({ user: 'bob', state: 'APPROVED', commit_id: head2, submitted_at: '2026-09-02T11:00:00Z' });
    const approved = await runAction('push', push2, dir, inputs, { GITHUB_SHA: merge2 });
    expect(approved.status, approved.stdout).toBe(0);
    expect(await typeOf('ws-held')).toEqual(['m6i.xlarge']);
    expect(JSON.parse(readFileSync(record, 'utf8')).holds['workstations/ws-held.yaml']).toMatchObject({ clearedBy: `approved in ${merge2.slice(0, 12)}` });
  });

  it('keeps a 200 KB plan from 200 KB of multibyte specs (a fork) under GitHub’s comment limit, whole characters only, with the full plan in the job summary', async () => {
    // Arrange: 700 new workstations whose labels carry CJK and emoji (surrogate pairs), and 700 files with a misspelt field on a multibyte line.
    fake = await startGitHubFake(REPO, { pulls: [pull([])], contents: { [`${BASE}:lab/labops.yaml`]: LAB } });
    const note = 'fMRI 数据分析 — résumé 🧠🔬 '.repeat(6);
    const files: Record<string, string> = {};
    for (let i = 0; i < 700; i++) {
      files[`workstations/mb-${i}.yaml`] = workstationYaml(`mb-${i}`).replace('project: neuro }', `project: neuro, labels: { note: "${note}${i}" } }`);
      files[`workstations/bad-${i}.yaml`] = `${workstationYaml(`bad-${i}`)}  descripción: "${note}${i}"\n`;
    }
    const dir = lab(files);
    const input = Object.values(files).join('');
    await sim.control.resetCalls();

    // Act
    const result = await runAction('pull_request', pullRequest('2026-09-01T10:00:00Z', true), dir);

    // Assert
    const body = fake.state.comments[0]!.body;
    expect(input.length).toBeGreaterThan(200_000);
    expect(result.status).toBe(1);
    expect(await simCalls()).toBe(0);
    expect(fake.state.comments).toHaveLength(1);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).not.toMatch(LONE_SURROGATE);
    expect(body).toContain('700 to create');
    expect(body).toContain('https://github.com/Codertocat/Hello-World/actions/runs/42');
    expect(result.summary).not.toMatch(LONE_SURROGATE);
    expect(result.summary).toContain('Workstation/mb-699');
    expect(result.summary.length).toBeGreaterThan(200_000);
    expect(body).toContain('unknown field "descripción"');
    expect(body).toContain('… and 650 more in the [job summary]');
  });
});
