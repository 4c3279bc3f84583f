/** The container image: built as a non-root user, entry is the labops CLI running the scheduled reconcile. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../reconciler/src/package-root.js';

const root = packageRoot();
const lines = readFileSync(join(root, 'Dockerfile'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'));
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

  it("names its lab by LABOPS_GIT_URL (not baked in), keeps the clone in the user's home and stops on SIGTERM", () => {
    expect(instruction('ENV')).toContain('LABOPS_WORKDIR=/home/labops/lab');
    expect(finalStage.join('\n')).not.toContain('LABOPS_GIT_URL=');
    expect(instruction('STOPSIGNAL')).toEqual(['SIGTERM']);
  });

  it('installs production dependencies only, plus git for cloning the lab', () => {
    expect(finalStage.some((l) => l.includes('npm ci --omit=dev'))).toBe(true);
    expect(finalStage.some((l) => /apt-get install .*\bgit\b/.test(l) || /\bgit ca-certificates\b/.test(l))).toBe(true);
  });
});

describe('deployment examples', () => {
  it('the Kubernetes CronJob never runs two reconciles at once and runs as non-root', () => {
    const cron = parse(readFileSync(join(root, 'examples/deploy/kubernetes-cronjob.yaml'), 'utf8')) as Record<
      string,
      any
    >;
    const pod = cron.spec.jobTemplate.spec.template.spec;

    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.containers[0].args).toEqual(['reconcile', '--git', 'https://github.com/ORG/LAB', '--record', 'git']);
    expect(JSON.stringify(pod)).not.toMatch(/AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID/);
  });

  it('the ECS task runs reconcile against a git URL on a 15-minute schedule', () => {
    const task = JSON.parse(readFileSync(join(root, 'examples/deploy/ecs-scheduled-task.json'), 'utf8')) as Record<
      string,
      any
    >;

    expect(task.containerDefinitions[0].command).toEqual([
      'reconcile',
      '--git',
      'https://github.com/ORG/LAB',
      '--record',
      'git',
    ]);
    expect(task.containerDefinitions[0].user).toBe('10001');
    expect(task.schedule.ScheduleExpression).toBe('rate(15 minutes)');
  });
});

describe('the IAM policy example', () => {
  const policy = JSON.parse(readFileSync(join(root, 'examples/aws/apply-role-policy.json'), 'utf8')) as {
    Statement: {
      Action: string | string[];
      Resource: string | string[];
      Condition?: Record<string, Record<string, unknown>>;
    }[];
  };
  const actions = (s: { Action: string | string[] }): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
  const SERVICE: Record<string, string> = {
    'costs.ts': 'ce',
    'ec2.ts': 'ec2',
    'ec2-observe.ts': 'ec2',
    'ec2-schedules.ts': 'ec2',
    'batch.ts': 'batch',
    'metrics.ts': 'cloudwatch',
    'identity.ts': 'sts',
  };

  it('allows every AWS call the adapters make', () => {
    const allowed = new Set(policy.Statement.flatMap(actions));
    const used = Object.entries(SERVICE).flatMap(([file, service]) => {
      const source = readFileSync(join(root, 'reconciler/src/aws', file), 'utf8');
      return [...source.matchAll(/new ([A-Z][A-Za-z]+)Command\(|paginate([A-Z][A-Za-z]+)\(/g)].map(
        (m) => `${service}:${m[1] ?? m[2]}`,
      );
    });

    expect(used.length).toBeGreaterThan(20);
    expect([...new Set(used)].filter((a) => !allowed.has(a))).toEqual([]);
  });

  it('allows no change on "*" without a labops:repo tag condition or a create action', () => {
    const mutating = policy.Statement.filter(
      (s) => s.Resource === '*' && actions(s).some((a) => !/:(Describe|List|Get|View)/.test(a)),
    );

    for (const s of mutating)
      expect(Object.keys(s.Condition?.StringEquals ?? {})).toEqual([
        expect.stringMatching(/^aws:ResourceTag\/labops:repo$|^ec2:CreateAction$/),
      ]);
    expect(policy.Statement.some((s) => actions(s).includes('iam:PassRole') && s.Resource !== '*')).toBe(true);
  });
});
