// ESLint flat config: typescript-eslint's strict type-checked rules for the TypeScript, ESLint's
// recommended rules for the scripts, and the folder boundaries of the layout (docs/architecture.md).
// Formatting is Prettier's job (`.prettierrc.json`); no rule here is about layout.
// `npm run lint` runs this and `prettier --check`; `.ci/run` runs `npm run lint`.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const SRC = 'reconciler/src';

/** Node's modules that reach disk, processes or the network, each also as `node:NAME`. */
const NODE_IO = ['fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'tls'];

/**
 * What the planners and the model may not import: modules that reach disk, processes, the network,
 * AWS, GitHub or git. They take observations as values and return plans as values.
 */
const NO_IO = {
  paths: [...NODE_IO.flatMap((name) => [name, `node:${name}`]), 'simple-git', 'proper-lockfile'].map((name) => ({
    name,
    message: 'Planners and the model do no I/O: take the observation as a value instead.',
  })),
  patterns: [
    {
      group: ['@aws-sdk/*', '@smithy/*', '@octokit/*', '@actions/*'],
      message: 'Planners and the model do no I/O: AWS, GitHub and the Actions runtime are reached through ports.',
    },
    {
      regex: '^(?:\\.\\.?/)+(?:aws|github|sim)(?:/|$)',
      message: 'Planners and the model do no I/O: they do not import the adapters (aws/, github/) or the simulator.',
    },
    {
      regex: '^(?:\\.\\.?/)+(?:record|state)/[^/]*-store(?:\\.js)?$',
      message: 'Planners and the model do no I/O: the run record reaches them as a value, not through its store.',
    },
  ],
};

/** The shells (the CLI and the Action) sit on top: nothing below them imports them. */
const NOT_SHELLS = {
  paths: [],
  patterns: [
    {
      regex: '^(?:\\.\\./)+(?:cli|action)(?:/|$)',
      message: 'Only the shells import the shells: move what both need out of cli/ or action/.',
    },
  ],
};

/** The Action is a shell beside the CLI: it shares what lies below them, not the CLI's own modules. */
const NOT_CLI = {
  paths: [],
  patterns: [
    {
      regex: '(?:^|/)reconciler/src/cli(?:/|$)',
      message: 'Only the shells import the shells: the Action does not import the CLI; move what both need below them.',
    },
  ],
};

/** Adapters implement ports; the engine and the kinds use them, never the reverse. The simulator stands alone. */
const NOT_ENGINE = {
  paths: [],
  patterns: [
    {
      regex: '^(?:\\.\\./)+(?:engine|kinds)(?:/|$)',
      message:
        'Adapters and the simulator do not import the engine or the kinds: they implement the ports the engine calls.',
    },
  ],
};

/** model/ and cost/ hold what several kinds share, so they sit below the kinds and the engine. */
const BELOW_KINDS = {
  paths: [],
  patterns: [
    {
      regex: '^(?:\\.\\./)+(?:engine|kinds)(?:/|$)',
      message:
        'model/ and cost/ are shared by the kinds, so they import neither a kind nor the engine: move the type down.',
    },
  ],
};

/**
 * A kind at DEPTH folders below its own folder (`kinds/job/plan.ts` is depth 0) may not climb out of its
 * folder into a sibling kind (`../workstation/…` from depth 0), nor reach one through `kinds/`.
 * Shared maths lives in model/ or cost/. Import specifiers are matched as written, so the depth decides
 * how many `../` lead to `kinds/`.
 */
function kindIsolation(depth) {
  const up = depth + 1;
  return {
    paths: [],
    patterns: [
      {
        regex: `^(?:\\.\\./){${up}}(?!\\.\\.(?:/|$))`,
        message: 'Kinds do not import each other: move what both need to model/ or cost/.',
      },
      {
        regex: '^\\.\\.?/(?:.*/)?kinds/',
        message: 'Kinds do not import each other: move what both need to model/ or cost/.',
      },
    ],
  };
}

/** One `no-restricted-imports` setting from several groups (a later config block replaces, never merges, options). */
function restrict(...groups) {
  return {
    'no-restricted-imports': [
      'error',
      { paths: groups.flatMap((g) => g.paths), patterns: groups.flatMap((g) => g.patterns) },
    ],
  };
}

/** The files DEPTH folders below a kind's own folder (`kinds/NAME/`); FIRST names the first of those folders. */
function kindFiles(depth, first = '*') {
  const folders = depth === 0 ? [] : [first, ...Array.from({ length: depth - 1 }, () => '*')];
  return [[`${SRC}/kinds/*`, ...folders, '*.ts'].join('/')];
}

/** The planner files of a kind at DEPTH: `plan.ts`/`plan-*.ts` at depth 0, under `plan/` or `plan-*\/` deeper. */
function plannerFiles(depth) {
  if (depth === 0) return [`${SRC}/kinds/*/plan.ts`, `${SRC}/kinds/*/plan-*.ts`];
  return kindFiles(depth, 'plan{,-*}');
}

const KIND_DEPTHS = [0, 1, 2, 3, 4];

const boundaries = [
  { name: 'boundaries/shells', files: [`${SRC}/**/*.ts`], ignores: [`${SRC}/cli/**`], rules: restrict(NOT_SHELLS) },
  { name: 'boundaries/action', files: ['action/src/**/*.ts'], rules: restrict(NOT_CLI) },
  {
    name: 'boundaries/shared',
    files: [`${SRC}/model/**/*.ts`, `${SRC}/cost/**/*.ts`],
    rules: restrict(NOT_SHELLS, NO_IO, BELOW_KINDS),
  },
  {
    name: 'boundaries/engine-planning',
    files: [`${SRC}/engine/actions.ts`, `${SRC}/engine/clock-actions.ts`],
    rules: restrict(NOT_SHELLS, NO_IO),
  },
  ...KIND_DEPTHS.map((depth) => ({
    name: `boundaries/kinds-depth-${depth}`,
    files: kindFiles(depth),
    rules: restrict(NOT_SHELLS, kindIsolation(depth)),
  })),
  ...KIND_DEPTHS.map((depth) => ({
    name: `boundaries/planners-depth-${depth}`,
    files: plannerFiles(depth),
    rules: restrict(NOT_SHELLS, kindIsolation(depth), NO_IO),
  })),
  {
    name: 'boundaries/adapters',
    files: [
      `${SRC}/aws/**/*.ts`,
      `${SRC}/github/forge.ts`,
      `${SRC}/github/octokit-forge.ts`,
      `${SRC}/github/forge/**/*.ts`,
      `${SRC}/sim/**/*.ts`,
    ],
    rules: restrict(NOT_SHELLS, NOT_ENGINE),
  },
];

export default defineConfig(
  {
    name: 'ignores',
    ignores: ['dist/', 'action/dist/', 'coverage/', `${SRC}/specs/generated/`, 'test/corpus/', 'test/golden/'],
  },
  { name: 'eslint/recommended', ...js.configs.recommended },
  {
    name: 'typescript',
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numbers in messages and ids (`${count} action(s)`) are meant; objects, nullish and booleans still fail.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `(line) => lines.push(line)` as a callback is plain; braces there would add noise, not catch bugs.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `const { ClientToken: _t, ...rest } = input` drops a member; `_ctx` keeps a handler's shared signature.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
    },
  },
  {
    name: 'simulator',
    files: [`${SRC}/sim/**/*.ts`],
    rules: {
      // The simulated account is plain JSON (saved to and loaded from a state file as is), its resources kept in
      // records by id: removing one is `delete record[id]`, and a Map would not survive the state file.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
  {
    name: 'tests',
    files: ['test/**/*.ts'],
    rules: {
      // With noUncheckedIndexedAccess a test states "this exists" as `rows[0]!`; if it does not, the test fails.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests read parsed documents (the simulator's wire replies, `--format json` output, workflow and Dockerfile
      // YAML) as `any` to assert on their shape, and Vitest's matchers (`expect.any(Number)`) are typed `any`:
      // the assertion checks the shape, so typing each document would restate the schemas for no safety.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Tests put process.env back by deleting what they set: `delete process.env[key]` is how Node unsets a variable.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
  {
    name: 'scripts',
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  ...boundaries,
);
