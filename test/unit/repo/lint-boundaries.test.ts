/**
 * The folder boundaries in eslint.config.js (docs/architecture.md): planners and the model import no
 * I/O, kinds do not import each other, adapters do not import the engine, nothing below the shells
 * imports them. Each case lints one import at a path of the layout through ESLint's own API with the
 * repository's config; the path need not exist, since ESLint chooses the config blocks by path.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../reconciler/src/package-root.js';

const eslint = new ESLint({
  cwd: packageRoot(),
  // Only the boundary rule: the imported modules are not there, and type-aware rules would report that.
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

/** What ESLint reports (rule and message) for one import in FILE (a path from the repository root). */
async function lintImport(file: string, specifier: string): Promise<{ rule: string | null; message: string }[]> {
  const code = `import { thing } from '${specifier}';\nexport { thing };\n`;
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).map((m) => ({ rule: m.ruleId, message: m.message }));
}

const KINDS = 'Kinds do not import each other';
const NO_IO = 'Planners and the model do no I/O';
const ADAPTERS = 'Adapters and the simulator do not import the engine';
const SHARED = 'model/ and cost/ are shared by the kinds';
const SHELLS = 'Only the shells import the shells';

describe('folder boundaries (eslint.config.js)', () => {
  it.each([
    ['reconciler/src/kinds/job/plan.ts', '../workstation/desired.js', KINDS],
    ['reconciler/src/kinds/job/apply.ts', '../../kinds/workstation/apply/launch.js', KINDS],
    ['reconciler/src/kinds/workstation/plan/create.ts', '../../job/plan.js', KINDS],
    ['reconciler/src/kinds/workstation/apply/launch.ts', '../../snapshot-schedule/copies.js', KINDS],
    ['reconciler/src/model/desired.ts', '@aws-sdk/client-ec2', NO_IO],
    ['reconciler/src/model/cron.ts', 'node:fs', NO_IO],
    ['reconciler/src/cost/monthly.ts', '../aws/ports.js', NO_IO],
    ['reconciler/src/kinds/job/plan.ts', '@aws-sdk/client-batch', NO_IO],
    ['reconciler/src/kinds/workstation/plan/create.ts', '../../../record/git-store.js', NO_IO],
    ['reconciler/src/engine/actions.ts', 'node:child_process', NO_IO],
    ['reconciler/src/cost/report.ts', '../kinds/budget/decide.js', SHARED],
    ['reconciler/src/aws/ec2.ts', '../engine/apply/types.js', ADAPTERS],
    ['reconciler/src/github/octokit-forge.ts', '../engine/pipeline.js', ADAPTERS],
    ['reconciler/src/sim/ec2/instances.ts', '../../kinds/workstation/desired.js', ADAPTERS],
    ['reconciler/src/engine/pipeline.ts', '../cli/io.js', SHELLS],
    ['reconciler/src/github/run-action.ts', '../../../action/src/main.js', SHELLS],
    ['action/src/main.ts', '../../reconciler/src/cli/io.js', SHELLS],
  ])('%s may not import %s', async (file, specifier, expected) => {
    const reported = await lintImport(file, specifier);

    expect(reported.map((r) => r.rule)).toEqual(['no-restricted-imports']);
    expect(reported[0]?.message).toContain(expected);
  });

  it.each([
    ['reconciler/src/kinds/workstation/plan/create.ts', '../desired.js'],
    ['reconciler/src/kinds/workstation/plan/create.ts', './replace.js'],
    ['reconciler/src/kinds/job/plan.ts', '../../model/job.js'],
    ['reconciler/src/kinds/job/plan.ts', '../../cost/job-estimate.js'],
    ['reconciler/src/kinds/job/apply.ts', '../../aws/ports.js'],
    ['reconciler/src/model/tags.ts', 'node:crypto'],
    ['reconciler/src/aws/ec2.ts', '../model/observed.js'],
    ['reconciler/src/aws/ec2.ts', '@aws-sdk/client-ec2'],
    ['reconciler/src/engine/registry.ts', '../kinds/job/index.js'],
    ['reconciler/src/cli/commands/plan.ts', '../io.js'],
    ['reconciler/src/cli/main.ts', './commands/plan.js'],
    ['action/src/main.ts', '../../reconciler/src/github/run-action.js'],
  ])('%s may import %s', async (file, specifier) => {
    const reported = await lintImport(file, specifier);

    expect(reported).toEqual([]);
  });
});
