/**
 * A small GitHub REST API on 127.0.0.1 for Octokit (baseUrl) and the bundled Action
 * (GITHUB_API_URL). It keeps pull requests, files, reviews, comments, issues, labels (the
 * repository's, and those on each pull request or issue) and file contents in memory, paginates with Link headers, records every request, and answers anything it does not
 * know with 501 — `close()` then throws, so an unexpected request fails the test. A scripted 403
 * "secondary rate limit" with `retry-after` can be queued for any route. GraphQL answers only
 * `viewer { login }` (the token's identity, `state.viewer`; `null` answers it as GitHub answers a
 * token it will not name: 403); comments and issues it creates are written as that login.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A pull request as the fake keeps it. */
export interface FakePull {
  number: number;
  title: string;
  author: string;
  headSha: string;
  baseSha: string;
  baseRef: string;
  mergedAt?: string;
  mergeCommitSha?: string;
  files: { filename: string; status: string; previous_filename?: string }[];
  reviews: { user: string; state: string; commit_id: string; submitted_at: string }[];
  /** Names of the labels on it. @default [] */
  labels?: string[];
}

/** A repository label. */
export interface FakeLabel {
  name: string;
  color: string;
  description: string;
}

/** A comment as the fake keeps it. */
export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  userType: 'Bot' | 'User';
  user: string;
}

/** An issue as the fake keeps it. */
export interface FakeIssue {
  number: number;
  /** Who opened it. @default "github-actions[bot]" */
  user?: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
}

/** One recorded request. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

/** The fake's state, for tests to arrange and assert on. */
export interface FakeState {
  repo: string;
  pulls: FakePull[];
  comments: FakeComment[];
  issues: FakeIssue[];
  /** `ref:path` → text. */
  contents: Record<string, string>;
  /** The repository's labels. @default [] */
  labels: FakeLabel[];
  /** The token's login (GraphQL `viewer`); null: GitHub refuses to say (403). @default "github-actions[bot]" */
  viewer: string | null;
}

/** A running fake. */
export interface GitHubFake {
  url: string;
  state: FakeState;
  requests: RecordedRequest[];
  /** Requests no route matched (each answered 501). */
  unexpected: string[];
  /** Answers the next `times` requests matching `method path-regex` with 403 secondary rate limit and `retry-after`. */
  rateLimit(method: string, path: RegExp, retryAfterSeconds: number, times?: number): void;
  /** Answers the next `times` requests matching `method path-regex` with `status` and GitHub's `{ message }`. */
  fail(method: string, path: RegExp, status: number, message: string, times?: number): void;
  /** Requests matching a method and path regex. */
  calls(method: string, path: RegExp): RecordedRequest[];
  /** Stops the server; throws when an unexpected request came in. */
  close(): Promise<void>;
}

type Handler = (
  m: RegExpExecArray,
  q: Record<string, string>,
  body: Record<string, unknown>,
) => { status: number; body: unknown; all?: unknown[] };

function page(
  items: unknown[],
  q: Record<string, string>,
  url: string,
  path: string,
): { body: unknown[]; link?: string } {
  const perPage = Math.min(100, Number(q.per_page ?? 30));
  const n = Number(q.page ?? 1);
  const body = items.slice((n - 1) * perPage, n * perPage);
  if (n * perPage >= items.length) return { body };
  const next = new URLSearchParams({ ...q, page: String(n + 1) });
  return { body, link: `<${url}${path}?${next.toString()}>; rel="next"` };
}

/** Starts the fake for one repository (`owner/name`). */
export async function startGitHubFake(repo: string, initial: Partial<FakeState> = {}): Promise<GitHubFake> {
  const state: FakeState = {
    repo,
    pulls: [],
    comments: [],
    issues: [],
    contents: {},
    labels: [],
    viewer: 'github-actions[bot]',
    ...initial,
  };
  const writer = (): string => state.viewer ?? 'github-actions[bot]';
  const requests: RecordedRequest[] = [];
  const unexpected: string[] = [];
  const limits: { method: string; path: RegExp; retryAfter: number; times: number }[] = [];
  const failures: { method: string; path: RegExp; status: number; message: string; times: number }[] = [];
  let nextId = 1000;
  const r = `/repos/${repo}`;
  const pull = (n: string): FakePull | undefined => state.pulls.find((p) => p.number === Number(n));
  const pullJson = (p: FakePull): unknown => ({
    number: p.number,
    title: p.title,
    user: { login: p.author, type: 'User' },
    head: { sha: p.headSha, ref: 'feature', repo: { full_name: repo } },
    base: { sha: p.baseSha, ref: p.baseRef, repo: { full_name: repo } },
    merged_at: p.mergedAt ?? null,
    merge_commit_sha: p.mergeCommitSha ?? null,
    state: p.mergedAt ? 'closed' : 'open',
  });
  const commentJson = (c: FakeComment): unknown => ({
    id: c.id,
    body: c.body,
    user: { login: c.user, type: c.userType },
  });
  const issueJson = (i: FakeIssue): unknown => ({
    ...i,
    user: { login: i.user ?? 'github-actions[bot]', type: (i.user ?? '[bot]').endsWith('[bot]') ? 'Bot' : 'User' },
    labels: i.labels.map((name) => ({ name })),
  });
  /** The label list of a pull request or issue (GitHub numbers them alike). */
  const labelsOf = (n: string): string[] | undefined => {
    const p = pull(n);
    if (p) return (p.labels ??= []);
    return state.issues.find((i) => i.number === Number(n))?.labels;
  };
  const labelJson = (name: string): unknown => {
    const l = state.labels.find((x) => x.name.toLowerCase() === name.toLowerCase());
    return { name, color: l?.color ?? 'ededed', description: l?.description ?? null };
  };
  const routes: [string, RegExp, Handler][] = [
    [
      'GET',
      new RegExp(`^${r}/labels/([^/]+)$`),
      (m) => {
        const name = decodeURIComponent(m[1]!);
        const label = state.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
        return label ? { status: 200, body: labelJson(label.name) } : { status: 404, body: { message: 'Not Found' } };
      },
    ],
    [
      'POST',
      new RegExp(`^${r}/labels$`),
      (_m, _q, b) => {
        const name = String(b.name);
        if (state.labels.some((l) => l.name.toLowerCase() === name.toLowerCase()))
          return {
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
            },
          };
        state.labels.push({
          name,
          color: typeof b.color === 'string' ? b.color : 'ededed',
          description: typeof b.description === 'string' ? b.description : '',
        });
        return { status: 201, body: labelJson(name) };
      },
    ],
    [
      'GET',
      new RegExp(`^${r}/issues/(\\d+)/labels$`),
      (m) => {
        const labels = labelsOf(m[1]!);
        if (!labels) return { status: 404, body: { message: 'Not Found' } };
        return { status: 200, body: null, all: labels.map(labelJson) };
      },
    ],
    [
      'POST',
      new RegExp(`^${r}/issues/(\\d+)/labels$`),
      (m, _q, b) => {
        const labels = labelsOf(m[1]!);
        if (!labels) return { status: 404, body: { message: 'Not Found' } };
        // As GitHub does, a label the repository lacks is created (default colour) when added.
        for (const name of (b.labels as string[] | undefined) ?? []) {
          if (!state.labels.some((l) => l.name.toLowerCase() === name.toLowerCase()))
            state.labels.push({ name, color: 'ededed', description: '' });
          if (!labels.includes(name)) labels.push(name);
        }
        return { status: 200, body: labels.map(labelJson) };
      },
    ],
    [
      'DELETE',
      new RegExp(`^${r}/issues/(\\d+)/labels/([^/]+)$`),
      (m) => {
        const labels = labelsOf(m[1]!);
        const name = decodeURIComponent(m[2]!);
        const at = labels?.indexOf(name) ?? -1;
        if (!labels || at < 0) return { status: 404, body: { message: 'Label does not exist' } };
        labels.splice(at, 1);
        return { status: 200, body: labels.map(labelJson) };
      },
    ],
    [
      'GET',
      new RegExp(`^${r}/pulls/(\\d+)/files$`),
      (m) => ({ status: 200, body: null, all: pull(m[1]!)?.files ?? [] }),
    ],
    [
      'GET',
      new RegExp(`^${r}/pulls/(\\d+)/reviews$`),
      (m) => ({
        status: 200,
        body: null,
        all: (pull(m[1]!)?.reviews ?? []).map((v, i) => ({
          id: i + 1,
          user: { login: v.user },
          state: v.state,
          commit_id: v.commit_id,
          submitted_at: v.submitted_at,
        })),
      }),
    ],
    [
      'GET',
      new RegExp(`^${r}/commits/([0-9a-f]+)/pulls$`),
      (m) => ({
        status: 200,
        body: null,
        all: state.pulls.filter((p) => p.mergeCommitSha === m[1] || p.headSha === m[1]).map(pullJson),
      }),
    ],
    [
      'GET',
      new RegExp(`^${r}/contents/(.+)$`),
      (m, q) => {
        const text = state.contents[`${q.ref}:${decodeURIComponent(m[1]!)}`];
        if (text === undefined) return { status: 404, body: { message: 'Not Found' } };
        return {
          status: 200,
          body: { type: 'file', encoding: 'base64', content: Buffer.from(text).toString('base64'), path: m[1] },
        };
      },
    ],
    [
      'GET',
      new RegExp(`^${r}/issues/(\\d+)/comments$`),
      (m) => ({
        status: 200,
        body: null,
        all: state.comments.filter((c) => c.issue === Number(m[1])).map(commentJson),
      }),
    ],
    [
      'POST',
      new RegExp(`^${r}/issues/(\\d+)/comments$`),
      (m, _q, b) => {
        const c: FakeComment = {
          id: nextId++,
          issue: Number(m[1]),
          body: String(b.body),
          userType: writer().endsWith('[bot]') ? 'Bot' : 'User',
          user: writer(),
        };
        state.comments.push(c);
        return { status: 201, body: commentJson(c) };
      },
    ],
    [
      'PATCH',
      new RegExp(`^${r}/issues/comments/(\\d+)$`),
      (m, _q, b) => {
        const c = state.comments.find((x) => x.id === Number(m[1]));
        if (!c) return { status: 404, body: { message: 'Not Found' } };
        c.body = String(b.body);
        return { status: 200, body: commentJson(c) };
      },
    ],
    [
      'GET',
      new RegExp(`^${r}/issues$`),
      (_m, q) => ({
        status: 200,
        body: null,
        all: state.issues
          .filter((i) => !q.labels || q.labels.split(',').every((l) => i.labels.includes(l)))
          .map(issueJson),
      }),
    ],
    [
      'POST',
      new RegExp(`^${r}/issues$`),
      (_m, _q, b) => {
        const issue: FakeIssue = {
          number: nextId++,
          user: writer(),
          title: String(b.title),
          body: typeof b.body === 'string' ? b.body : '',
          state: 'open',
          labels: (b.labels as string[] | undefined) ?? [],
        };
        state.issues.push(issue);
        return { status: 201, body: issueJson(issue) };
      },
    ],
    [
      'PATCH',
      new RegExp(`^${r}/issues/(\\d+)$`),
      (m, _q, b) => {
        const issue = state.issues.find((i) => i.number === Number(m[1]));
        if (!issue) return { status: 404, body: { message: 'Not Found' } };
        if (typeof b.body === 'string') issue.body = b.body;
        if (b.state === 'open' || b.state === 'closed') issue.state = b.state;
        return { status: 200, body: issueJson(issue) };
      },
    ],
    [
      'POST',
      /^\/graphql$/,
      (_m, _q, b) => {
        if (!/^\s*(query\s*)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/.test(String(b.query))) {
          unexpected.push(`POST /graphql ${String(b.query)}`);
          return { status: 501, body: { message: `github-fake: unexpected GraphQL ${String(b.query)}` } };
        }
        if (state.viewer === null) return { status: 403, body: { message: 'Resource not accessible by integration' } };
        return { status: 200, body: { data: { viewer: { login: state.viewer } } } };
      },
    ],
  ];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const query = Object.fromEntries(url.searchParams);
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      const method = req.method ?? 'GET';
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
        requests.push({ method, path: url.pathname, query, body, status });
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      const limit = limits.find((l) => l.method === method && l.path.test(url.pathname) && l.times > 0);
      if (limit) {
        limit.times--;
        send(
          403,
          {
            message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            documentation_url: 'https://docs.github.com/rest',
          },
          { 'retry-after': String(limit.retryAfter) },
        );
        return;
      }
      const failure = failures.find((f) => f.method === method && f.path.test(url.pathname) && f.times > 0);
      if (failure) {
        failure.times--;
        send(failure.status, { message: failure.message, documentation_url: 'https://docs.github.com/rest' });
        return;
      }
      for (const [m, pattern, handler] of routes) {
        const match = m === method ? pattern.exec(url.pathname) : null;
        if (!match) continue;
        const out = handler(match, query, body);
        if (!out.all) {
          send(out.status, out.body);
          return;
        }
        const p = page(out.all, query, fake.url, url.pathname);
        send(200, p.body, p.link ? { link: p.link } : {});
        return;
      }
      unexpected.push(`${method} ${url.pathname}${url.search}`);
      send(501, { message: `github-fake: unexpected request ${method} ${url.pathname}` });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const fake: GitHubFake = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    requests,
    unexpected,
    rateLimit(method, path, retryAfter, times = 1) {
      limits.push({ method, path, retryAfter, times });
    },
    fail(method, path, status, message, times = 1) {
      failures.push({ method, path, status, message, times });
    },
    calls: (method, path) => requests.filter((q) => q.method === method && path.test(q.path)),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      if (unexpected.length) throw new Error(`github-fake: unexpected request(s):\n${unexpected.join('\n')}`);
    },
  };
  return fake;
}
