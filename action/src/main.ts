/**
 * The GitHub Action (action.yml): reads its inputs, runs the labops pipeline for the event, and
 * writes annotations, outputs and the job summary. Everything is inside one catch that fails
 * the step with a one-line message. Bundled by `npm run build:action` into action/dist/index.js.
 */
import * as core from '@actions/core';
import { contextFromEnv, depsFromEnv, parseInputs } from '../../reconciler/src/github/action-env.js';
import { runAction } from '../../reconciler/src/github/run-action.js';

async function main(): Promise<void> {
  try {
    const inputs = parseInputs({ mode: core.getInput('mode'), path: core.getInput('path'), comment: core.getInput('comment') });
    const context = contextFromEnv(process.env);
    const { deps, close } = depsFromEnv(
      { token: core.getInput('github-token'), awsRegion: core.getInput('aws-region'), record: core.getInput('record'), env: process.env, log: core.info, warn: core.warning },
      context.event.repo,
    );
    try {
      const outcome = await runAction(inputs, context, deps);
      core.info(`labops ${outcome.flow}: ${outcome.failures.length ? 'failed' : 'ok'}`);
      for (const a of outcome.annotations) {
        const properties = { file: a.file, startLine: a.startLine, title: a.title, ...(a.startColumn ? { startColumn: a.startColumn } : {}) };
        if (a.severity === 'error') core.error(a.message, properties);
        else if (a.severity === 'warning') core.warning(a.message, properties);
        else core.notice(a.message, properties);
      }
      for (const [name, value] of Object.entries(outcome.outputs)) core.setOutput(name, value);
      if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(outcome.summary, true).write();
      if (outcome.failures.length) core.setFailed(outcome.failures.join('\n'));
    } finally {
      close();
    }
  } catch (err) {
    core.setFailed(`labops: ${err instanceof Error ? err.message : String(err)}`);
  }
}

await main();
