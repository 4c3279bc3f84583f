/** The container's flags: git URLs recognised (their redaction: redact.test.ts), and conflicting flags refused before anything runs (--record and --record-branch: test/unit/runtime/record-option.test.ts). */
import { describe, expect, it } from 'vitest';
import { isGitUrl } from '../../../reconciler/src/cli/git-source.js';
import { runCli } from '../../../reconciler/src/cli/run-cli.js';
import { captureIo } from '../../support/io.js';

describe('git URLs', () => {
  it.each([
    ['https://github.com/org/lab', true],
    ['file:///srv/lab.git', true],
    ['git@github.com:org/lab.git', true],
    ['org/lab', false],
  ])('isGitUrl(%s) is %s', (value, expected) => {
    expect(isGitUrl(value)).toBe(expected);
  });
});

describe('reconcile --git', () => {
  it('refuses a git URL given twice, as --git and as --repo', async () => {
    const io = captureIo('/');

    const code = await runCli(
      ['reconcile', '--git', 'file:///srv/lab.git', '--repo', 'https://github.com/org/lab'],
      io,
    );

    expect(code).toBe(1);
    expect(io.err).toBe('labops reconcile: give the git URL once, as --git (--repo then names owner/name)\n');
  });
});
