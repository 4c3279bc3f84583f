/**
 * `labops cost [DIR]`: spend, estimated since, forecast, limit and % used per budget, with a
 * chart, and each project's run-rate and top spenders. Runs the pipeline up to the plan (which
 * observes AWS and asks Cost Explorer at most once per cache window) and applies nothing.
 */
import { resolve } from 'node:path';
import { AwsError } from '../../aws/errors.js';
import { createRuntime } from '../../runtime/runtime.js';
import type { Runtime } from '../../runtime/runtime.js';
import { inCommand } from '../command-error.js';
import { recordPlace } from '../record-place.js';
import { costToJson, projectCosts, renderCostMarkdown, renderCostText } from '../../kinds/budget/cost-report.js';
import { styleFor } from '../../report/style.js';
import { run } from '../../engine/pipeline.js';
import type { RunResult } from '../../engine/pipeline.js';
import { formatOption, nowOption, parseCommand } from '../args.js';
import { COST_FLAGS } from '../definitions.js';
import { UsageError } from '../../errors.js';
import type { Io } from '../io.js';
import { resolveRepoName } from '../repo-name.js';

/** Runs `labops cost`; returns the exit status (1 when the lab cannot be planned). */
export async function runCostCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand('cost', argv, COST_FLAGS);
  if (positionals.length > 1) throw new UsageError(`labops cost: expected at most one DIR, got ${positionals.length}`);
  const format = formatOption('cost', values.format, ['text', 'json', 'markdown']);
  const now = nowOption('cost', values.now);
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const runtime = await createRuntime({ env: io.env, record: recordPlace(values.record, dir, io) });
  let result: RunResult;
  try {
    result = await runPlanOnly(dir, now, runtime, values.repo, io);
  } finally {
    runtime.close();
  }
  if (result.outcome === 'invalid') {
    io.stderr(`labops cost: nothing to report: labops.yaml is missing or invalid (run \`labops validate\`)\n`);
    return 1;
  }
  if (result.budgets === undefined) throw new Error('labops cost: the pipeline ran without a cost source');
  const summary = {
    now: now.toISOString(),
    budgets: result.budgets,
    projects: projectCosts(result.desired, result.observed, now),
  };
  if (format === 'json') io.stdout(`${JSON.stringify(costToJson(summary), null, 2)}\n`);
  else if (format === 'markdown') io.stdout(renderCostMarkdown(summary));
  else io.stdout(renderCostText(summary, styleFor({ isTTY: io.isTTY }, Boolean(values['no-color']), io.env)));
  return 0;
}

async function runPlanOnly(
  dir: string,
  now: Date,
  runtime: Runtime,
  repoFlag: string | undefined,
  io: Io,
): Promise<RunResult> {
  try {
    return await run(
      {
        dir,
        mode: 'plan',
        now,
        repo: (labName, declared) => resolveRepoName({ flag: repoFlag, env: io.env, dir, labName, declared }),
      },
      runtime.runDeps(),
    );
  } catch (err) {
    if (err instanceof AwsError) throw inCommand('cost', err, '', 'AWS ');
    throw err;
  }
}
