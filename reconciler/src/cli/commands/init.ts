/**
 * `labops init [DIR]`: scaffolds a lab repository (reconciler/src/cli/init/scaffold.ts) from
 * flags, or from answers on a terminal, writes it only when none of its files exists, and prints
 * what is left to set up in AWS and GitHub.
 */
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { formatOption, parseCommand } from '../args.js';
import { INIT_FLAGS } from '../definitions.js';
import { UsageError } from '../../errors.js';
import type { Io } from '../io.js';
import { checkList, checkValue, inputRules } from '../init/inputs.js';
import type { InitInputs, InputRule } from '../init/inputs.js';
import { publishedPage } from '../init/published.js';
import { REPO, resolveRepoName } from '../repo-name.js';
import { ROLE_NAMES, WORKFLOWS, scaffold } from '../init/scaffold.js';

/** Asks one question on the terminal; resolves to the answer, or undefined at end of input. */
export type Ask = (question: string) => Promise<string | undefined>;

/** How many times a terminal is asked again after an answer that is not acceptable. */
const ATTEMPTS = 3;

/** Runs `labops init`; returns the exit status. `ask` prompts on a terminal (default: stdin when both ends are terminals). */
export async function runInitCommand(argv: string[], io: Io, ask?: Ask): Promise<number> {
  const { values, positionals } = parseCommand('init', argv, INIT_FLAGS);
  if (positionals.length > 1) throw new UsageError(`labops init: expected at most one DIR, got ${positionals.length}`);
  const format = formatOption('init', values.format, ['text', 'json']);
  const shown = positionals[0] ?? '.';
  const dir = resolve(io.cwd, shown);

  const rules = inputRules();
  const given: Partial<InitInputs> = {
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values.account !== undefined ? { account: values.account } : {}),
    ...(values.region !== undefined ? { regions: values.region } : {}),
    ...(values.admin !== undefined ? { admins: values.admin } : {}),
  };
  for (const key of ['name', 'account'] as const) {
    const value = given[key];
    const problem = value === undefined ? undefined : checkValue(rules[key], value);
    if (problem) throw new UsageError(`labops init: ${problem}`);
  }
  for (const key of ['regions', 'admins'] as const) {
    const value = given[key];
    const problem = value === undefined ? undefined : checkList(rules[key], value);
    if (problem) throw new UsageError(`labops init: ${problem}`);
  }

  if (values.id !== undefined && !REPO.test(values.id))
    throw new UsageError(`labops init: --id ${JSON.stringify(values.id)} is not a lab id owner/name, e.g. hartley/lab`);
  const missing = (['name', 'account', 'regions', 'admins'] as const).filter((key) => given[key] === undefined);
  const terminal = missing.length && !ask ? terminalPrompter(io) : undefined;
  const asker = ask ?? terminal?.ask;
  if (missing.length && !asker)
    throw new UsageError(
      `labops init: missing ${missing.map((key) => rules[key].flag).join(', ')} (not on a terminal, so nothing is asked; see labops init --help)`,
    );
  const warn = (line: string) => {
    io.stderr(line);
  };
  let inputs: InitInputs;
  try {
    inputs = {
      name: given.name ?? (await askValue(asker, warn, rules.name, 'Lab name', defaultName(dir, rules.name))),
      account: given.account ?? (await askValue(asker, warn, rules.account, 'AWS account id')),
      regions: given.regions ?? (await askList(asker, warn, rules.regions, 'AWS Regions (the first is the default)')),
      admins: given.admins ?? (await askList(asker, warn, rules.admins, "Admins' GitHub logins")),
    };
  } finally {
    terminal?.close();
  }
  inputs.id = values.id ?? (await resolveRepoName({ env: io.env, dir, labName: inputs.name }));

  const files = scaffold(inputs);
  const existing = [...files.map((f) => f.path), 'labops.yml'].filter((path) => exists(join(dir, path)));
  if (existing.length) {
    io.stderr(
      `labops init: ${existing.join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'} in ${shown}; init never overwrites, so nothing was written\n`,
    );
    return 1;
  }
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text, { flag: 'wx' });
  }

  if (format === 'json')
    io.stdout(
      `${JSON.stringify({ directory: dir, files: files.map((f) => f.path), setup: setupSteps(inputs, shown) }, null, 2)}\n`,
    );
  else
    io.stdout(
      report(
        files.map((f) => f.path),
        inputs,
        shown,
      ),
    );
  return 0;
}

/** Whether anything (a file, a folder, a symlink) is at `path`. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The folder's name as a lab name, when it is one. */
function defaultName(dir: string, rule: InputRule): string | undefined {
  const name = basename(dir).toLowerCase();
  return checkValue(rule, name) === undefined ? name : undefined;
}

/**
 * Prompts on the process's terminal when stdin and stdout both are one: one readline for every
 * question, its lines read in order (answers typed ahead are kept, not lost between questions).
 */
function terminalPrompter(io: Io): { ask: Ask; close: () => void } | undefined {
  if (!io.isTTY || !process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const lines = rl[Symbol.asyncIterator]();
  return {
    ask: async (question) => {
      rl.setPrompt(question);
      rl.prompt();
      const next = await lines.next();
      return next.done ? undefined : next.value;
    },
    close: () => {
      rl.close();
    },
  };
}

async function askValue(
  ask: Ask | undefined,
  warn: (line: string) => void,
  rule: InputRule,
  label: string,
  fallback?: string,
): Promise<string> {
  for (let attempt = 0; ask && attempt < ATTEMPTS; attempt++) {
    const answer = (
      await ask(`${label} (${rule.flag}, e.g. ${rule.example})${fallback ? ` [${fallback}]` : ''}: `)
    )?.trim();
    if (answer === undefined) break;
    const value = answer === '' && fallback ? fallback : answer;
    const problem = checkValue(rule, value);
    if (!problem) return value;
    warn(`${problem}\n`);
  }
  throw new UsageError(`labops init: no acceptable ${rule.flag} given`);
}

async function askList(
  ask: Ask | undefined,
  warn: (line: string) => void,
  rule: InputRule,
  label: string,
): Promise<string[]> {
  for (let attempt = 0; ask && attempt < ATTEMPTS; attempt++) {
    const answer = (await ask(`${label} (${rule.flag}, e.g. ${rule.example}; several separated by spaces): `))?.trim();
    if (answer === undefined) break;
    const values = answer.split(/[\s,]+/).filter(Boolean);
    const problem = values.length ? checkList(rule, values) : `${rule.flag}: give at least one`;
    if (!problem) return values;
    warn(`${problem}\n`);
  }
  throw new UsageError(`labops init: no acceptable ${rule.flag} given`);
}

/** The AWS and GitHub set-up a new lab still needs, one step a line. */
function setupSteps(inputs: InitInputs, shown: string): string[] {
  const [region = ''] = inputs.regions;
  return [
    `AWS account ${inputs.account}: create the IAM OIDC provider for token.actions.githubusercontent.com and two roles — ${ROLE_NAMES.plan} (read-only, trusted for this repository's pull requests) and ${ROLE_NAMES.apply} (trusted for its main branch only) — from the policy files in labops' examples/aws/ (docs/action.md, step 1, has the commands)`,
    `AWS: activate the labops:project cost allocation tag (Billing and Cost Management → Cost allocation tags); until then every budget reads $0 spent`,
    `GitHub: create the environment aws-production with deployment branches limited to main (${WORKFLOWS[1].path} applies from it); no secrets are needed, the workflows reach AWS through OIDC in ${region}`,
    `Check and commit: labops validate ${shown}, then commit, push to main and open a pull request that changes a workstation`,
  ];
}

function report(paths: string[], inputs: InitInputs, shown: string): string {
  const steps = setupSteps(inputs, shown).map((step, i) => `  ${i + 1}. ${step}\n`);
  return (
    `labops init: wrote a lab repository in ${shown}\n${paths.map((p) => `  ${p}\n`).join('')}\n` +
    `Still to do (step by step: ${publishedPage('docs/action.md')}):\n${steps.join('')}`
  );
}
