/**
 * Credentials out of messages: the one redaction every error path and output sink uses. Git
 * remotes carry a token in their URL, git and Octokit quote the URL in their errors, and an
 * environment dump or a verbose SDK message can hold an AWS secret; none of it may reach a
 * terminal, a log, a comment or the job summary.
 */

/** Each pattern and what replaces it. */
const SECRETS: readonly [RegExp, string][] = [
  // `https://user:TOKEN@host`, `https://TOKEN@host`, `http://x-access-token:ghs_…@host`.
  [/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@'],
  // `x-access-token:ghs_…` outside a URL (an extraheader, a credential helper's output).
  [/(x-access-token:)[^@\s]+/gi, '$1***'],
  // `Authorization: Bearer …` (or `token …`, `Basic …`), and a bearer token quoted alone.
  [/\b(authorization:\s*(?:bearer|token|basic)\s+)\S+/gi, '$1***'],
  [/\b(bearer\s+)[A-Za-z0-9_.~+/=-]{16,}/gi, '$1***'],
  // GitHub token shapes: ghp_, gho_, ghu_, ghs_, ghr_ and fine-grained github_pat_.
  [/\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{22,})\b/g, '***'],
  // `AWS_SECRET_ACCESS_KEY=…`, `aws_session_token: …`, `"SecretAccessKey": "…"`.
  [
    /\b(AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|aws_secret_access_key|aws_session_token|SecretAccessKey|SessionToken)("?\s*[=:]\s*"?)[^\s"',;]+/g,
    '$1$2***',
  ],
];

/**
 * The text with every credential it holds replaced by `***`: URL userinfo, `x-access-token:…`,
 * bearer/token/basic authorization values, GitHub tokens (`ghp_…`, `ghs_…`, `github_pat_…`) and
 * AWS secret keys and session tokens given by name.
 */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return out;
}

/** An error's message (or the thrown value as text), redacted: what an error path may print. */
export function redactedMessage(err: unknown): string {
  return redact(err instanceof Error ? err.message : String(err));
}

/**
 * Redacts a thrown value's message and stack in place and returns it, keeping its class and code
 * (callers tell errors apart by those, never by message): for adapters whose clients quote
 * credentials in their errors (git's "unable to access 'https://user:TOKEN@…'").
 */
export function redactError<T>(err: T): T {
  if (err instanceof Error) {
    err.message = redact(err.message);
    if (err.stack !== undefined) err.stack = redact(err.stack);
  }
  return err;
}
