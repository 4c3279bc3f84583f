/**
 * The loader against hostile and unusual files: generated inputs too big or too deep to keep
 * in the corpus, YAML 1.2 core scalars, prototype safety, timing of alias bombs, positions.
 */
import { describe, expect, it } from 'vitest';
import { LOAD_LIMITS, loadBytes, loadText } from '../../../reconciler/src/specs/load.js';

function firstProblem(result: ReturnType<typeof loadText>): { line: number; column: number; message: string } {
  const p = result.problems[0]!;
  return { line: p.line, column: p.column, message: p.message };
}

describe('loader limits', () => {
  it.each([
    ['a 2 MiB file', () => loadBytes(Buffer.alloc(2 * 1024 * 1024, 'a'), 'big.yaml'), /over the 1048576-byte limit/],
    [
      '100,000 nested flow sequences',
      () => loadText(`a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, 'deep.yaml'),
      /nesting deeper than 64 levels/,
    ],
    [
      '100,000 nested flow mappings',
      () => loadText(`a: ${'{b: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`, 'deep.yaml'),
      /nesting deeper than 64 levels/,
    ],
    [
      '5,000 compact nested sequences on one line',
      () => loadText(`${'- '.repeat(5000)}x\n`, 'deep.yaml'),
      /nesting deeper than 64 levels/,
    ],
    [
      'block nesting 300 columns deep',
      () => loadText(Array.from({ length: 150 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n'), 'deep.yaml'),
      /indentation of \d+ columns/,
    ],
    [
      'block nesting past the depth limit',
      () => loadText(Array.from({ length: 80 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n', 'deep.yaml'),
      /nesting deeper than 64 levels/,
    ],
  ])('rejects %s quickly, without a crash', (_name, load, message) => {
    const started = performance.now();

    const result = load();

    expect(result.documents).toEqual([]);
    expect(result.problems[0]!.message).toMatch(message);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('rejects a billion-laughs file in well under a second', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [name, prev] of ['ba', 'cb', 'dc', 'ed', 'fe', 'gf', 'hg', 'ih'].map((s) => [s[0]!, s[1]!])) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = performance.now();

    const result = loadText(lines.join('\n'), 'lol.yaml');

    expect(performance.now() - started).toBeLessThan(500);
    expect(result.problems[0]!.message).toContain(`more than ${LOAD_LIMITS.maxNodes} nodes`);
  });

  it('loads a 1 MiB mapping of 60,000 keys in linear time and finds a duplicate at its far end', () => {
    // The parser's own duplicate-key check is quadratic: this file took 185 s before labops checked keys itself.
    const keys = Array.from({ length: 60_000 }, (_, i) => `k${i}: ${i}`);
    keys.push('k17: again');
    const started = performance.now();

    const result = loadText(`${keys.join('\n')}\n`, 'wide.yaml');

    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.problems).toEqual([
      {
        file: 'wide.yaml',
        line: 60_001,
        column: 1,
        path: '',
        message: 'duplicate key: each field may appear only once',
        severity: 'error',
      },
    ]);
  });

  it('locates 8,000 problems in one mapping in linear time', () => {
    const keys = Array.from({ length: 8_000 }, (_, i) => `  k${i}: ${i}`);
    const doc = loadText(`spec:\n${keys.join('\n')}\n`, 'wide.yaml').documents[0]!;
    const started = performance.now();

    const positions = keys.map((_, i) => doc.positionOf(['spec', `k${i}`]));

    expect(performance.now() - started).toBeLessThan(1000);
    expect(positions.at(-1)).toEqual({ line: 8_001, column: 3 });
  });

  it('accepts modest aliases', () => {
    const result = loadText('base: &v { name: data, sizeGiB: 10 }\nvolumes: [*v, *v]\n', 'ok.yaml');

    expect(result.problems).toEqual([]);
    expect(result.documents[0]!.value).toEqual({
      base: { name: 'data', sizeGiB: 10 },
      volumes: [
        { name: 'data', sizeGiB: 10 },
        { name: 'data', sizeGiB: 10 },
      ],
    });
  });
});

describe('encodings', () => {
  it.each([
    [
      'a NUL byte',
      Buffer.from('a: b\n\0c: d\n'),
      'binary file (contains a NUL byte); spec files must be UTF-8 text',
      2,
      1,
    ],
    [
      'Latin-1 bytes',
      Buffer.from([0x61, 0x3a, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]),
      'file is not valid UTF-8 (first bad byte at offset 6)',
      1,
      7,
    ],
    [
      'a UTF-16 byte-order mark',
      Buffer.from([0xff, 0xfe, 0x61, 0x00]),
      'file is UTF-16; spec files must be UTF-8',
      1,
      1,
    ],
    [
      'a PNG header',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
      'binary file (contains a NUL byte); spec files must be UTF-8 text',
      3,
      1,
    ],
  ])('rejects %s cleanly', (_name, bytes, message, line, column) => {
    const result = loadBytes(bytes, 'x.yaml');

    expect(result.documents).toEqual([]);
    expect(firstProblem(result)).toEqual({ line, column, message });
  });

  it('reads UTF-8 with a byte-order mark and multibyte text', () => {
    const result = loadBytes(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('note: "Größe 🧠"\n')]),
      'x.yaml',
    );

    expect(result.documents[0]!.value).toEqual({ note: 'Größe 🧠' });
  });
});

describe('YAML 1.2 core scalars', () => {
  it.each([
    ['yes', 'yes'],
    ['no', 'no'],
    ['on', 'on'],
    ['off', 'off'],
    ['y', 'y'],
    ['true', true],
    ['False', false],
    ['~', null],
    ['null', null],
    ['017', 17],
    ['0o17', 15],
    ['0x1F', 31],
    ['1_000', '1_000'],
    ['1e3', 1000],
    ['2026-11-23', '2026-11-23'],
    ['12:30', '12:30'],
    ['"123456789012"', '123456789012'],
  ])('%s reads as %j', (text, value) => {
    const result = loadText(`v: ${text}\n`, 'x.yaml');

    expect(result.documents[0]!.value).toEqual({ v: value });
  });
});

describe('prototype safety', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s and leaves prototypes alone', (key) => {
    const result = loadText(`a:\n  ${key}:\n    polluted: true\n`, 'x.yaml');

    expect(result.problems).toEqual([
      {
        file: 'x.yaml',
        line: 2,
        column: 3,
        path: `a.${key}`,
        message: `key "${key}" is not allowed`,
        severity: 'error',
      },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('builds ordinary objects whose prototype is Object.prototype', () => {
    const value = loadText('a: { b: 1 }\n', 'x.yaml').documents[0]!.value as { a: object };

    expect(Object.getPrototypeOf(value.a)).toBe(Object.prototype);
  });
});

describe('documents and positions', () => {
  const text =
    'apiVersion: labops/v1\nkind: Job\nmetadata: { name: one }\n---\n# comment\n---\nkind: Job\nspec:\n  dependsOn:\n    - { job: a }\n    - job: b\n';

  it('reads every document and skips empty ones', () => {
    const result = loadText(text, 'jobs.yaml');

    expect(result.documents.map((d) => [d.index, d.kind, d.name])).toEqual([
      [0, 'Job', 'one'],
      [2, 'Job', undefined],
    ]);
  });

  it.each([
    [['spec', 'dependsOn', 1, 'job'], 'key', { line: 11, column: 7 }],
    [['spec', 'dependsOn', 1, 'job'], 'value', { line: 11, column: 12 }],
    [['spec', 'dependsOn', 0, 'job'], 'value', { line: 10, column: 14 }],
    [['spec', 'missing', 'deeper'], 'key', { line: 9, column: 3 }],
  ] as const)('finds %j (%s)', (path, target, position) => {
    const doc = loadText(text, 'jobs.yaml').documents[1]!;

    expect(doc.positionOf(path, target)).toEqual(position);
  });

  it('names the line of a syntax error', () => {
    const result = loadText('a: 1\nb: [1, 2\nc: 3\n', 'x.yaml');

    expect(result.problems[0]).toMatchObject({ file: 'x.yaml', line: 3, severity: 'error' });
    expect(result.problems[0]!.message).toBe(
      'a "[" opened above is never closed: end it with "]" (or write the list as "- " lines)',
    );
  });
});
