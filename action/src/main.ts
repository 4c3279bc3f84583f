/**
 * The GitHub Action (action.yml): reads its inputs, runs the labops pipeline for the event, and
 * writes annotations, outputs and the job summary. Everything is inside one catch that fails
 * the step with a one-line message. Every line it writes passes `shown` (credentials redacted,
 * control characters escaped). Bundled by `npm run build:action` into action/dist/index.js.
 */
import * as core from '@actions/core';
import { contextFromEnv, depsFromEnv, parseInputs } from '../../reconciler/src/github/action-env.js';
import { LabopsError, UsageError } from '../../reconciler/src/errors.js';
import { EventError } from '../../reconciler/src/github/event.js';
import { runAction } from '../../reconciler/src/github/run-action.js';
import { redact, redactedMessage } from '../../reconciler/src/record/redact.js';
import { escapeControls } from '../../reconciler/src/report/safe-text.js';

/** A GitHub login, an App's `SLUG[bot]` included. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/** What may reach the log, an annotation or the summary. */
function shown(text: string): string {
  return escapeControls(redact(text));
}

function commentAuthor(): string | undefined {
  const login = core.getInput('comment-author');
  if (login && !LOGIN.test(login))
    throw new UsageError(
      `input comment-author must be a GitHub login such as my-lab-app[bot] (got ${JSON.stringify(login)})`,
    );
  return login || undefined;
}

async function main(): Promise<void> {
  try {
    const inputs = parseInputs({
      mode: core.getInput('mode'),
      path: core.getInput('path'),
      comment: core.getInput('comment'),
      costLabel: core.getInput('cost-label'),
    });
    const author = commentAuthor();
    const context = contextFromEnv(process.env);
    const env = await depsFromEnv(
      {
        token: core.getInput('github-token'),
        awsRegion: core.getInput('aws-region'),
        record: core.getInput('record'),
        instanceProfile: core.getInput('instance-profile'),
        env: process.env,
        log: (m) => core.info(shown(m)),
        warn: (m) => core.warning(shown(m)),
        ...(author ? { commentAuthor: author } : {}),
      },
      context.event.repo,
    );
    try {
      const outcome = await runAction(inputs, context, env.deps);
      core.info(`labops ${outcome.flow}: ${outcome.failures.length ? 'failed' : 'ok'}`);
      for (const a of outcome.annotations) {
        const properties = {
          file: a.file,
          startLine: a.startLine,
          title: shown(a.title),
          ...(a.startColumn ? { startColumn: a.startColumn } : {}),
        };
        if (a.severity === 'error') core.error(shown(a.message), properties);
        else if (a.severity === 'warning') core.warning(shown(a.message), properties);
        else core.notice(shown(a.message), properties);
      }
      for (const [name, value] of Object.entries(outcome.outputs)) core.setOutput(name, value);
      if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(shown(outcome.summary), true).write();
      if (outcome.failures.length) core.setFailed(shown(outcome.failures.join('\n')));
    } finally {
      env.close();
    }
  } catch (err) {
    // labops' own failures (a bad input, GitHub or AWS refusing, git failing) are one line; a
    // refused event says so in its own words; anything else is a programming error, said so.
    core.setFailed(shown(failureLine(err)));
    process.exitCode = err instanceof LabopsError ? err.exitStatus : 1;
  }
}

/** The one line a failed step shows. */
function failureLine(err: unknown): string {
  if (err instanceof EventError && err.code === 'refused-event') return err.message;
  if (err instanceof LabopsError) return `labops: ${err.message}`;
  return `labops: internal error: ${redactedMessage(err)}`;
}

await main();
