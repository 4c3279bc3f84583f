/**
 * The files `labops init` writes: labops.yaml, one example Workstation and one Budget (each
 * opening with the published schema's modeline), .gitignore, and the three workflows of
 * examples/workflows/ with the Action pinned to the published major tag and the lab's own account
 * and Region in the role ARNs. Pure: the text of every file, nothing written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../../package-root.js';
import type { InitInputs } from './inputs.js';
import { ACTION_REF, PUBLISHED_REPO, schemaModeline } from './published.js';

/** The workflows a lab gets: the example each is made from, and where it goes. */
export const WORKFLOWS = [
  { example: 'pull-request.yml', path: '.github/workflows/labops-pull-request.yml' },
  { example: 'push.yml', path: '.github/workflows/labops-push.yml' },
  { example: 'schedule.yml', path: '.github/workflows/labops-schedule.yml' },
] as const;

/** The role names the workflows assume (examples/aws/ holds their policies). */
export const ROLE_NAMES = { plan: 'labops-plan', apply: 'labops-apply' } as const;

/** One file to write: its path relative to the lab folder and its text. */
export interface ScaffoldFile {
  path: string;
  text: string;
}

/**
 * A YAML scalar: plain when YAML 1.2 and 1.1 both read it back as the same string (so `yes`, `no`
 * and `123` are quoted for every reader), else double-quoted.
 */
function scalar(value: string): string {
  try {
    if (parse(value) === value && parse(value, { version: '1.1' }) === value && !value.includes('#')) return value;
  } catch {
    // not a plain scalar: quote it
  }
  return JSON.stringify(value);
}

const flow = (values: string[]): string => `[${values.map(scalar).join(', ')}]`;

/** The name of the example workstation: its owner's login, lowercased, then `-example`. */
export function exampleWorkstationName(inputs: InitInputs): string {
  return `${(inputs.admins[0] ?? '').toLowerCase()}-example`;
}

function labYaml(inputs: InitInputs): string {
  const [defaultRegion = ''] = inputs.regions;
  return `${schemaModeline('Lab')}
# The Lab: one per repository (docs/specs.md in labops). Written by \`labops init\`: edit freely,
# then run \`labops validate\`.
apiVersion: labops/v1
kind: Lab
metadata:
  name: ${scalar(inputs.name)}
spec:
${inputs.id === undefined ? '' : `  id: ${scalar(inputs.id)}   # the lab's identity (the labops:repo tag): keep it when the repository moves\n`}  aws:
    accountId: ${JSON.stringify(inputs.account)}   # labops refuses to change any other account
    defaultRegion: ${scalar(defaultRegion)}
    regions: ${flow(inputs.regions)}
  # paths: [workstations, budgets, snapshots, jobs, environments]   # the default: where specs live
  admins: ${flow(inputs.admins)}   # may approve any change; only they may change Budgets and this file
  policy:
    allowedInstanceTypes: ["t3.*", "m7i.*", "r7i.*"]
    maxHourlyUSDPerWorkstation: 2.00
    maxWorkstationsPerOwner: 2
    requireBudget: true   # every project needs a Budget
    prune: false          # a deleted spec leaves its instance alone, reported as an orphan
    selfHeal: false       # changes made outside labops are reported, not reverted
  calendar:
    timezone: UTC         # the time zone of work hours and breaks: set yours, e.g. America/New_York
  notify: ${flow(inputs.admins.map((login) => `@${login}`))}
`;
}

function workstationYaml(inputs: InitInputs): string {
  const [owner = ''] = inputs.admins;
  return `${schemaModeline('Workstation')}
# An example workstation. Merging it launches a t3.large (about $0.08 an hour while running,
# stopped outside work hours) with a 40 GiB root volume. \`labops env list\` shows the environments.
apiVersion: labops/v1
kind: Workstation
metadata:
  name: ${scalar(exampleWorkstationName(inputs))}
  owner: ${scalar(owner)}
  project: ${scalar(inputs.name)}
spec:
  environment: base-ubuntu@^1
  instanceType: t3.large
  state: running
  storage:
    rootGiB: 40
  schedule:
    workHours: "Mon-Fri 08:00-19:00"
    offHoursAction: stop
  deletionPolicy: Snapshot   # deleting this file (with prune: true) snapshots the volumes first
`;
}

function budgetYaml(inputs: InitInputs): string {
  return `${schemaModeline('Budget')}
# The lab's monthly budget: spend on the project's resources, from Cost Explorer (activate the
# labops:project cost allocation tag first: docs/budgets.md in labops).
apiVersion: labops/v1
kind: Budget
metadata:
  name: ${scalar(inputs.name)}
spec:
  project: ${scalar(inputs.name)}
  limitUSD: 500
  period: { every: month }
  thresholds: [50, 75, 90, 100]
  actions:
    - { atPercent: 90, do: notify }
    - { atPercent: 100, do: stop }
  notify: ${flow(inputs.admins.map((login) => `@${login}`))}
`;
}

/**
 * An example workflow made the lab's: the labops step pinned to {@link ACTION_REF}, the role ARNs
 * in the lab's account and the AWS Region its default.
 * @throws Error when the example no longer has the lines this rewrites (a labops packaging bug)
 */
export function labWorkflow(example: string, text: string, inputs: InitInputs): string {
  const [region = ''] = inputs.regions;
  const rewrites: [RegExp, string][] = [
    [
      /^(\s*(?:- )?uses: )[\w.-]+\/labops@\S+.*$/gm,
      `$1${ACTION_REF}   # pin: ${PUBLISHED_REPO}@<commit sha of the release> # v1.x.y`,
    ],
    [/(role-to-assume: arn:aws:iam::)\d{12}(:role\/)/g, `$1${inputs.account}$2`],
    [/^(\s*aws-region: )\S+/gm, `$1${region}`],
  ];
  let out = text;
  for (const [pattern, replacement] of rewrites) {
    if (!out.match(pattern)) throw new Error(`examples/workflows/${example} has no line matching ${String(pattern)}`);
    out = out.replace(pattern, replacement);
  }
  return out;
}

/** Every file of a new lab, in the order they are listed. */
export function scaffold(inputs: InitInputs): ScaffoldFile[] {
  const workflows = join(packageRoot(), 'examples', 'workflows');
  return [
    { path: 'labops.yaml', text: labYaml(inputs) },
    { path: `workstations/${exampleWorkstationName(inputs)}.yaml`, text: workstationYaml(inputs) },
    { path: `budgets/${inputs.name}.yaml`, text: budgetYaml(inputs) },
    {
      path: '.gitignore',
      text: '# labops: the local run record and lease (`--record` defaults to .labops/)\n.labops/\n',
    },
    ...WORKFLOWS.map(({ example, path }) => ({
      path,
      text: labWorkflow(example, readFileSync(join(workflows, example), 'utf8'), inputs),
    })),
  ];
}
