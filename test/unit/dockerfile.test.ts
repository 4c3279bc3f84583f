/** The container image: built as a non-root user, entry is the labops CLI running the scheduled reconcile. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';

const root = packageRoot();
const lines = readFileSync(join(root, 'Dockerfile'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
const finalStage = lines.slice(lines.map((l) => l.startsWith('FROM ')).lastIndexOf(true));

function instruction(name: string): string[] {
  return finalStage.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());
}

describe('Dockerfile', () => {
  it('runs on a slim Node LTS image as a non-root user', () => {
    expect(instruction('FROM')).toEqual([expect.stringMatching(/^node:(2[02468])-slim$/)]);
    expect(instruction('USER')).toEqual(['10001:10001']);
  });

  it('enters the labops CLI and runs reconcile --watch every 15 minutes by default', () => {
    expect(JSON.parse(instruction('ENTRYPOINT')[0]!)).toEqual(['node', '/app/dist/reconciler/src/cli/main.js']);
    expect(JSON.parse(instruction('CMD')[0]!)).toEqual(['reconcile', '--watch', '--interval', '15m']);
  });

  it('installs production dependencies only, plus git for cloning the lab', () => {
    expect(finalStage.some((l) => l.includes('npm ci --omit=dev'))).toBe(true);
    expect(finalStage.some((l) => /apt-get install .*\bgit\b/.test(l) || /\bgit ca-certificates\b/.test(l))).toBe(true);
  });
});

describe('deployment examples', () => {
  it('the Kubernetes CronJob never runs two reconciles at once and runs as non-root', () => {
    const cron = parse(readFileSync(join(root, 'examples/deploy/kubernetes-cronjob.yaml'), 'utf8')) as Record<string, any>;
    const pod = cron.spec.jobTemplate.spec.template.spec;

    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.containers[0].args.slice(0, 2)).toEqual(['reconcile', '--repo']);
  });

  it('the ECS task runs reconcile against a git URL on a 15-minute schedule', () => {
    const task = JSON.parse(readFileSync(join(root, 'examples/deploy/ecs-scheduled-task.json'), 'utf8')) as Record<string, any>;

    expect(task.containerDefinitions[0].command.slice(0, 2)).toEqual(['reconcile', '--repo']);
    expect(task.containerDefinitions[0].user).toBe('10001');
    expect(task.schedule.ScheduleExpression).toBe('rate(15 minutes)');
  });
});
