/**
 * The IAM policies in examples/aws/ against the AWS calls the adapters really make (every
 * `new <Op>Command(` and `paginate<Op>(` under reconciler/src/aws, by the SDK client it is
 * imported from): the apply role allows all of them, the plan role exactly the reads, and neither
 * allows anything labops never calls; the OIDC trust policies name GitHub's provider and pin `sub`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../reconciler/src/package-root.js';

const root = packageRoot();
const AWS = join(root, 'reconciler/src/aws');
const SERVICE: Record<string, string> = {
  ec2: 'ec2',
  batch: 'batch',
  'cost-explorer': 'ce',
  cloudwatch: 'cloudwatch',
  budgets: 'budgets',
  sts: 'sts',
  imagebuilder: 'imagebuilder',
};
/**
 * AWS Budgets authorises its operations under other IAM action names (Service Authorization
 * Reference, "Amazon Budget Service": CreateBudget needs budgets:ModifyBudget and, with tags,
 * budgets:TagResource; the reads need budgets:ViewBudget).
 */
const BUDGETS_IAM: Record<string, string[]> = {
  CreateBudget: ['budgets:ModifyBudget', 'budgets:TagResource'],
  UpdateBudget: ['budgets:ModifyBudget'],
  DeleteBudget: ['budgets:ModifyBudget'],
  CreateNotification: ['budgets:ModifyBudget'],
  DeleteNotification: ['budgets:ModifyBudget'],
  CreateSubscriber: ['budgets:ModifyBudget'],
  DeleteSubscriber: ['budgets:ModifyBudget'],
  DescribeBudgets: ['budgets:ViewBudget'],
  DescribeNotificationsForBudget: ['budgets:ViewBudget'],
  DescribeSubscribersForNotification: ['budgets:ViewBudget'],
  ListTagsForResource: ['budgets:ListTagsForResource'],
};
/** The IAM actions a call needs. */
const iam = (call: string): string[] => {
  const [service = '', op = ''] = call.split(':');
  return service === 'budgets' ? (BUDGETS_IAM[op] ?? [`budgets:unmapped-${op}`]) : [call];
};
/**
 * Permissions a call needs beyond its own name: passing the instance profile's role, tagging Batch
 * resources at creation, and Image Builder's service-linked role (created on first use).
 */
const IMPLIED = new Set(['iam:PassRole', 'batch:TagResource', 'iam:CreateServiceLinkedRole']);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, string | string[]>>;
}
const load = (file: string): Statement[] =>
  (JSON.parse(readFileSync(join(root, 'examples/aws', file), 'utf8')) as { Statement: Statement[] }).Statement;
const actions = (statements: Statement[]): Set<string> =>
  new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

/** `service:Operation` of every SDK call in the adapters. */
function calls(): Set<string> {
  const out = new Set<string>();
  for (const file of readdirSync(AWS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(AWS, file), 'utf8');
    const client = new Map<string, string>();
    for (const m of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g))
      for (const name of (m[1] ?? '').split(',').map((n) => n.trim()))
        if (name) client.set(name, SERVICE[m[2] ?? ''] ?? `unknown-${m[2]}`);
    for (const m of source.matchAll(/new ([A-Z]\w+)Command\(|paginate([A-Z]\w+)\(/g)) {
      const op = m[1] ?? m[2] ?? '';
      const service = client.get(m[1] ? `${op}Command` : `paginate${op}`);
      if (service) out.add(`${service}:${op}`);
    }
  }
  return out;
}

const called = calls();
const used = new Set([...called].flatMap(iam));
const reads = new Set([...called].filter((a) => /:(Describe|List|Get)/.test(a)).flatMap(iam));
const writes = new Set([...called].filter((a) => !/:(Describe|List|Get)/.test(a)).flatMap(iam));

describe('examples/aws IAM policies', () => {
  it('finds the calls of every client labops uses', () => {
    expect(new Set([...called].map((a) => a.split(':')[0]))).toEqual(new Set(Object.values(SERVICE)));
    expect(used.size).toBeGreaterThan(25);
  });

  it('apply role: allows every call the adapters make, and nothing they never make', () => {
    const allowed = actions(load('apply-role-policy.json'));

    expect([...used].filter((a) => !allowed.has(a))).toEqual([]);
    expect([...allowed].filter((a) => !used.has(a) && !IMPLIED.has(a))).toEqual([]);
  });

  it('plan role: allows exactly the reads, nothing that changes AWS', () => {
    const allowed = actions(load('plan-role-policy.json'));

    expect([...allowed].sort()).toEqual([...reads].sort());
    expect([...allowed].filter((a) => writes.has(a))).toEqual([]);
  });

  it.each([
    ['plan-role-trust.json', [':pull_request']],
    ['apply-role-trust.json', [':ref:refs/heads/main', ':environment:aws-production']],
  ])('%s: GitHub OIDC only, audience sts.amazonaws.com, sub pinned to this lab', (file, suffixes) => {
    const [statement, ...rest] = load(file);

    expect(rest).toEqual([]);
    expect(statement?.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(statement?.Principal?.Federated).toMatch(/:oidc-provider\/token\.actions\.githubusercontent\.com$/);
    const equals = statement?.Condition?.StringEquals ?? {};
    expect(equals['token.actions.githubusercontent.com:aud']).toBe('sts.amazonaws.com');
    const subs = [equals['token.actions.githubusercontent.com:sub'] ?? []].flat();
    expect(subs).toEqual(suffixes.map((s) => `repo:ORG@ORG_ID/LAB@REPO_ID${s}`));
    expect(Object.keys(statement?.Condition ?? {})).toEqual(['StringEquals']);
  });

  it('workstation role: only EC2 may assume it', () => {
    const [statement] = load('workstation-role-trust.json');

    expect(statement?.Principal).toEqual({ Service: 'ec2.amazonaws.com' });
    expect(statement?.Action).toBe('sts:AssumeRole');
  });
});
