/**
 * YAML syntax errors in plain words with the fix, at the line that is wrong: each parser error
 * code a student meets, through the loader (one problem per mistake, never the parser's own words
 * when labops knows better).
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadText } from '../../../reconciler/src/specs/load.js';

const NEST = '(YAML uses indentation to nest)';
const indented = (what: string, anchor: string): string =>
  `this line is indented differently from the lines above it — line up ${what} with "${anchor}:" ${NEST}`;

describe('YAML syntax errors in plain words', () => {
  it.each([
    [
      'a field indented under one that already has a value (BLOCK_AS_IMPLICIT_KEY, MULTILINE_IMPLICIT_KEY)',
      'spec:\n  environment: base-ubuntu@^1\n  region: us-west-2\n   instanceType: m6i.large\n',
      [`4:4 ${indented('"instanceType:"', 'region')}`],
    ],
    [
      'a field between two levels, nearer the fields above (BAD_INDENT)',
      'metadata:\n  name: bob\nspec:\n  region: us-west-2\n instanceType: m6i.large\n',
      [`5:2 ${indented('"instanceType:"', 'region')}`],
    ],
    [
      'a field between two levels, nearer the deeper fields',
      'spec:\n  storage:\n    rootGiB: 100\n   volumes: []\n',
      [`4:4 ${indented('"volumes:"', 'rootGiB')}`],
    ],
    [
      'a field between two levels, nearer its parent',
      'spec:\n  storage:\n      rootGiB: 100\n   volumes: []\n',
      [`4:4 ${indented('"volumes:"', 'storage')}`],
    ],
    [
      'a field of a list item out of line with the first',
      'spec:\n  volumes:\n  - name: data\n     sizeGiB: 500\n',
      [`4:6 ${indented('"sizeGiB:"', 'name')}`],
    ],
    [
      'a list item out of line with the items above',
      'spec:\n  volumes:\n    - name: a\n      sizeGiB: 3\n   - name: b\n',
      [
        `5:4 this line is indented differently from the lines above it — start this "- " at the column of the "- " above it ${NEST}`,
      ],
    ],
    [
      'over-indented under a block scalar’s neighbour, after comments and a block scalar',
      '# a comment\nspec:\n  notes: |\n    free text: with colons\n      deeper: still text\n  idle:\n    after: 30m\n     action: stop\n',
      [`8:6 ${indented('"action:"', 'after')}`],
    ],
    [
      'an unclosed flow mapping (BAD_INDENT)',
      'metadata: { name: bob, owner: bob\nspec:\n  x: 1\n',
      ['2:1 a "{" opened above is never closed: end it with "}" (or write the mapping as indented lines)'],
    ],
    [
      'an unclosed flow sequence (BAD_INDENT)',
      'a: [1, 2\nb: 3\n',
      ['2:1 a "[" opened above is never closed: end it with "]" (or write the list as "- " lines)'],
    ],
    [
      'a list item beside fields (BAD_INDENT, no line to line up with)',
      'a:\n  - x\n  y: 2\n',
      [
        `3:1 this line is indented differently from the lines above it — line each field up with the others at its level ${NEST}`,
      ],
    ],
    [
      'two fields on one line (BLOCK_AS_IMPLICIT_KEY)',
      'owner: bob project: atmos\n',
      [
        '1:8 a value cannot hold another "key: value" on the same line — put the inner field on its own line, indented under this one, or quote the value if the ": " is part of the text',
      ],
    ],
    [
      'no space after the colon (MULTILINE_IMPLICIT_KEY)',
      'a:1\nb: 2\n',
      [
        `1:1 a field name must fit on one line — is a ":" missing after it, or is a line here indented differently from the lines above it? ${NEST}`,
      ],
    ],
    [
      'a line with no colon (MISSING_CHAR)',
      'a: 1\njust text\n',
      ['2:1 this line has no ":" — write it as "field: value" (or "- value" for a list item)'],
    ],
    [
      'an unclosed double quote, shown where it opens (MISSING_CHAR)',
      'metadata:\n  name: "bob-atmos\nspec:\n  x: 1\n',
      ['2:9 the " that starts this value is never closed: add the closing " where the value ends'],
    ],
    [
      'a comment with no space before # (MISSING_CHAR)',
      'a: "x"# note\n',
      ['1:7 put a space before "#": a comment must be separated from the value'],
    ],
    [
      'a value starting with @ or ` (BAD_SCALAR_START)',
      'notify: @pi\ncommand: `run`\n',
      [
        '1:9 a value cannot start with @ unless it is quoted — write it as "@pi"',
        '2:10 a value cannot start with ` unless it is quoted — write it as "`run`"',
      ],
    ],
    [
      'a Windows path in double quotes (BAD_DQ_ESCAPE)',
      'path: "C:\\Users\\bob"\n',
      [
        '1:10 "\\U" is not an escape YAML knows inside double quotes — write \\\\ for each backslash (Windows paths), or use single quotes, where \\ needs no escaping',
      ],
    ],
    [
      'a quote inside a value quoted with it (UNEXPECTED_TOKEN)',
      "note: 'it's'\n",
      [
        `1:11 unexpected text after the value — if the value contains the quote it is written in, use the other quote ("it's") or double it ('it''s')`,
      ],
    ],
    [
      'a stray closing brace (UNEXPECTED_TOKEN)',
      'a: 1\n}\n',
      ['2:1 a "}" here closes nothing: remove it or add the "{" it closes'],
    ],
    [
      'a custom tag (TAG_RESOLVE_FAILED)',
      'a: !include other.yaml\n',
      ['1:4 unsupported YAML tag !include: labops specs hold plain values only — remove the tag'],
    ],
    [
      'a tab as indentation (TAB_AS_INDENT)',
      'a:\n\tb: 1\n',
      ['2:1 tabs are not allowed for indentation in YAML; use spaces'],
    ],
  ])('%s', (_name, text, expected) => {
    const result = loadText(text, 'workstations/bob.yaml');

    expect(result.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual(expected);
    expect(result.problems.every((p) => p.severity === 'error' && p.file === 'workstations/bob.yaml')).toBe(true);
  });

  it('remembers what a document that did not load seems to declare, for references to it', () => {
    const text =
      'apiVersion: labops/v1\nkind: Workstation\nmetadata:\n  name: bob-atmos\n  project: atmos\nspec:\n  region: us-west-2\n   instanceType: m6i.large\n---\nkind: Job\nmetadata: { name: ok }\n';

    const result = loadText(text, 'workstations/bob.yaml');

    expect(result.broken).toEqual([
      {
        file: 'workstations/bob.yaml',
        index: 0,
        kind: 'Workstation',
        name: 'bob-atmos',
        project: 'atmos',
        lines: { start: 1, end: 8 },
      },
    ]);
    expect(result.documents.map((d) => d.name)).toEqual(['ok']);
  });
});

describe('YAML errors at scale', () => {
  it('words a file of 5,000 indentation mistakes in about the time the parser takes to find them', () => {
    const text = Array.from({ length: 5_000 }, (_, i) => `k${i}:\n  a: 1\n   b: 2\n`).join('');
    let started = performance.now();
    parseAllDocuments(text, { version: '1.2', schema: 'core', uniqueKeys: false, prettyErrors: true });
    const parserMs = performance.now() - started;
    started = performance.now();

    const result = loadText(text, 'big.yaml');

    const loadMs = performance.now() - started;
    expect(result.problems[0]).toMatchObject({ line: 3, column: 4 });
    expect(result.problems.length).toBe(5_000);
    expect(loadMs).toBeLessThan(2 * parserMs + 500);
  });
});
