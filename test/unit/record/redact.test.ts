/** redact: the one helper that takes credentials out of every message labops prints. */
import { describe, expect, it } from 'vitest';
import { redact, redactError, redactedMessage } from '../../../reconciler/src/record/redact.js';

describe('redact', () => {
  it.each([
    ['https://x-access-token:ghs_secret@github.com/org/lab.git', 'https://***@github.com/org/lab.git'],
    [
      "fatal: unable to access 'https://user:pw@git.example.org/lab/': 403",
      "fatal: unable to access 'https://***@git.example.org/lab/': 403",
    ],
    ['http://user:SECRET@127.0.0.1:1/x.git', 'http://***@127.0.0.1:1/x.git'],
    ['https://github.com/org/lab.git', 'https://github.com/org/lab.git'],
    ['git@github.com:org/lab.git', 'git@github.com:org/lab.git'],
    [
      'http.extraheader=AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA==',
      'http.extraheader=AUTHORIZATION: basic ***',
    ],
    ['credential: x-access-token:s3cr3t-value', 'credential: x-access-token:***'],
    ['Authorization: Bearer abc.def.ghi', 'Authorization: Bearer ***'],
    ['sent bearer eyJhbGciOiJSUzI1NiJ9abcdef', 'sent bearer ***'],
    ['token ghp_0123456789abcdefghijABCDEFGHIJ012345 rejected', 'token *** rejected'],
    ['ghs_16CharsOrMoreXyZ123 and ghu_abcdefghijklmnopqrst', '*** and ***'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', '***'],
    ['AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY rest', 'AWS_SECRET_ACCESS_KEY=*** rest'],
    ['{"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG", "x": 1}', '{"SecretAccessKey": "***", "x": 1}'],
    ['aws_session_token = IQoJb3JpZ2luX2VjEXAMPLE', 'aws_session_token = ***'],
    ['the token expired and validation failed', 'the token expired and validation failed'],
  ])('redact(%j)', (text, expected) => {
    const shown = redact(text);

    expect(shown).toBe(expected);
  });

  it('redacts an error in place, keeping its class, code and cause', () => {
    const cause = new Error('root');
    const err = Object.assign(
      new TypeError("unable to access 'https://u:ghs_abcdefghijklmnopqrstu@host/x'", { cause }),
      { code: 'E_GIT' },
    );

    const same = redactError(err);

    expect(same).toBe(err);
    expect(same).toBeInstanceOf(TypeError);
    expect([same.message, same.code, same.cause, same.stack?.includes('ghs_')]).toEqual([
      "unable to access 'https://***@host/x'",
      'E_GIT',
      cause,
      false,
    ]);
  });

  it.each([
    [new Error('push to https://a:b@h/r failed'), 'push to https://***@h/r failed'],
    ['thrown string ghp_abcdefghijklmnopqrstuvwxyz', 'thrown string ***'],
  ])('redactedMessage(%s)', (err, expected) => {
    expect(redactedMessage(err)).toBe(expected);
  });
});
