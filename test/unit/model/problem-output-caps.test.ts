/**
 * 100,000 validation problems through every output: text counts what it does not show, GitHub
 * workflow commands and Action annotations stop at what GitHub displays (10 of each kind per
 * step) with one notice for the rest, and the job summary stays under 1 MiB counted in bytes.
 */
import { describe, expect, it } from 'vitest';
import { annotations, renderJobSummary } from '../../../reconciler/src/github/action-report.js';
import type { ApprovalCheck } from '../../../reconciler/src/trust/approvals.js';
import type { Problem } from '../../../reconciler/src/model/problem.js';
import { renderProblemsGithub, renderProblemsText } from '../../../reconciler/src/report/problems.js';

function problems(errors: number, warnings: number, message = 'unknown field "bogus" in spec'): Problem[] {
  const make = (i: number, severity: Problem['severity']): Problem => ({
    file: `workstations/w${i}.yaml`,
    line: 7,
    column: 3,
    path: 'spec.bogus',
    message,
    severity,
  });
  return [
    ...Array.from({ length: errors }, (_, i) => make(i, 'error')),
    ...Array.from({ length: warnings }, (_, i) => make(errors + i, 'warning')),
  ];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('text output', () => {
  it.each([
    {
      name: 'under the limit: everything, no count line',
      errors: 3,
      warnings: 1,
      limit: 10,
      shown: 4,
      rest: undefined,
    },
    {
      name: '100,000 problems: the first 1,000 and one line counting the rest',
      errors: 99_990,
      warnings: 10,
      limit: undefined,
      shown: 1_000,
      rest: '… and 98990 errors and 10 warnings not shown (`labops validate --format json` lists every problem)',
    },
  ])('$name', ({ errors, warnings, limit, shown, rest }) => {
    const text = renderProblemsText(problems(errors, warnings), () => '', { color: false }, limit);

    const lines = text.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('workstations/'))).toHaveLength(shown);
    if (rest) expect(lines.at(-1)).toBe(rest);
    else expect(lines.at(-1)).toMatch(/^workstations\//);
  });
});

describe('GitHub workflow commands', () => {
  it.each([
    {
      name: 'a few problems: one command each',
      errors: 2,
      warnings: 1,
      commands: ['error', 'error', 'warning'],
      notice: undefined,
    },
    {
      name: '100,000 problems: 10 errors, 10 warnings, one notice',
      errors: 99_000,
      warnings: 1_000,
      commands: [...Array(10).fill('error'), ...Array(10).fill('warning'), 'notice'],
      notice: '98990 errors and 990 warnings not annotated',
    },
  ])('$name', ({ errors, warnings, commands, notice }) => {
    const out = renderProblemsGithub(problems(errors, warnings), 'lab/');

    const lines = out.trimEnd().split('\n');
    expect(lines.map((l) => /^::(\w+)/.exec(l)![1])).toEqual(commands);
    if (notice) expect(lines.at(-1)).toContain(notice);
    expect(out.length).toBeLessThan(10_000);
  });
});

describe('Action annotations', () => {
  it('puts missing approvals first and stops at 10 per kind, with one notice for the rest', () => {
    const check: ApprovalCheck = {
      spec: {
        file: 'budgets/b.yaml',
        kind: 'Budget',
        name: 'b',
        change: 'modified',
        owners: [],
        files: ['budgets/b.yaml'],
      },
      needs: 'admin',
      ok: false,
    };

    const out = annotations(problems(100_000, 30), [check], 'lab');

    expect(out.map((a) => a.severity)).toEqual([...Array(10).fill('error'), ...Array(10).fill('warning'), 'notice']);
    expect(out[0]).toMatchObject({ file: 'lab/budgets/b.yaml', title: 'labops: approval needed' });
    expect(out.at(-1)!.message).toBe(
      '100011 more problem(s) not annotated (GitHub shows 10 of each kind per step): the job summary lists them',
    );
  });
});

describe('job summary', () => {
  it('lists 1,000 of 100,000 problems and counts the rest', () => {
    const summary = renderJobSummary({
      title: 'labops plan',
      desiredOnly: false,
      problems: problems(100_000, 0),
      checks: [],
      missing: [],
      notes: [],
    });

    expect(summary.match(/^- ❌ /gm)).toHaveLength(1_000);
    expect(summary).toContain('- … and 99000 more (`labops validate --format json` lists every problem)');
  });

  it('stays under 1 MiB in bytes, never cutting a character, when multibyte notes would take 3 MiB', () => {
    const notes = Array.from({ length: 1_000 }, () => '数据分析🧠'.repeat(200));

    const summary = renderJobSummary({
      title: 'labops plan',
      desiredOnly: false,
      problems: [],
      checks: [],
      missing: [],
      notes,
    });

    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(1024 * 1024);
    expect(summary).not.toMatch(LONE_SURROGATE);
    expect(summary).not.toContain('\uFFFD');
    expect(summary.trimEnd().split('\n').at(-1)).toContain("cut at 900000 bytes (GitHub's job summary limit is 1 MiB)");
  });
});
