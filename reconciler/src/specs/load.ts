/**
 * Reads spec files into plain values that keep a source position for every node.
 * Built to be handed hostile files: size, nesting, node-count and alias limits; keys that
 * could reach an object prototype are refused; binary and non-UTF-8 files are rejected;
 * only YAML 1.2 core scalars (so `yes` stays a string).
 */
import { readFileSync, statSync } from 'node:fs';
import { Lexer, LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Pair } from 'yaml';
import { formatPath } from '../model/problem.js';
import type { FieldPath, Problem } from '../model/problem.js';
import { DUPLICATE_KEY_MESSAGE, plainSyntaxError } from './yaml-messages.js';

export type { Problem } from '../model/problem.js';

/** Limits every spec file must respect. */
export const LOAD_LIMITS = {
  /** Largest file read, in bytes. */
  maxFileBytes: 1024 * 1024,
  /** Deepest nesting of mappings and sequences. */
  maxDepth: 64,
  /** Most nodes one document may expand to, aliases included (stops billion-laughs files). */
  maxNodes: 100_000,
  /** Most documents one file may hold. */
  maxDocuments: 1_000,
  /** Widest indentation accepted, in columns. */
  maxIndent: 256,
} as const;

/** A 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** One YAML document of a spec file, as a plain value plus a way back to its source. */
export interface LoadedDocument {
  /** File path as shown to people. */
  file: string;
  /** 0-based index of the document in its file. */
  index: number;
  /** The document as plain JSON-like data (objects, arrays, strings, numbers, booleans, null). */
  value: unknown;
  /** `kind` when it is a string. */
  kind: string | undefined;
  /** `metadata.name` when it is a string. */
  name: string | undefined;
  /** Where a field is: its key (`'key'`, the default for object members) or its value. */
  positionOf(path: FieldPath, target?: 'key' | 'value'): SourcePosition;
  /** First and last 1-based line of the document in its file. */
  lines: { start: number; end: number };
  /** The text of a 1-based line, for showing a caret under a problem. */
  sourceLine: (line: number) => string;
}

/**
 * A document that did not load (a YAML syntax error, a refused key): what it seems to declare, read
 * from what the parser made of it, so a reference to it can point at its problem instead of
 * saying it does not exist. Never a spec: nothing else may be taken from it.
 */
export interface BrokenDocument {
  file: string;
  /** 0-based index of the document in its file. */
  index: number;
  kind: string | undefined;
  name: string | undefined;
  /** `metadata.project`, else `spec.project` (a Budget's). */
  project: string | undefined;
  /** First and last 1-based line of the document in its file. */
  lines: { start: number; end: number };
}

/** What loading a file produced: its documents, or problems saying why not. */
export interface LoadResult {
  documents: LoadedDocument[];
  problems: Problem[];
  /** Documents that did not load, by what they seem to declare (none when the whole file was refused). */
  broken?: BrokenDocument[];
  /** The text of a 1-based line of the file (empty when the file was not read as text). */
  sourceLine: (line: number) => string;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/** Reads and parses one file; never throws for anything the file contains. */
export function loadFile(absPath: string, displayPath: string): LoadResult {
  let size: number;
  try {
    size = statSync(absPath).size;
  } catch (err) {
    return fileProblem(displayPath, `cannot read file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (size > LOAD_LIMITS.maxFileBytes) {
    return fileProblem(
      displayPath,
      `file is ${size} bytes, over the ${LOAD_LIMITS.maxFileBytes}-byte limit for a spec file`,
    );
  }
  return loadBytes(readFileSync(absPath), displayPath);
}

/** Decodes and parses the bytes of one file. */
export function loadBytes(bytes: Uint8Array, displayPath: string): LoadResult {
  if (bytes.length > LOAD_LIMITS.maxFileBytes) {
    return fileProblem(
      displayPath,
      `file is ${bytes.length} bytes, over the ${LOAD_LIMITS.maxFileBytes}-byte limit for a spec file`,
    );
  }
  const decoded = decodeUtf8(bytes);
  if (typeof decoded !== 'string') return fileProblem(displayPath, decoded.message, decoded.line, decoded.column);
  return loadText(decoded, displayPath);
}

/** Parses YAML text that is already known to be decoded text. */
export function loadText(text: string, displayPath: string): LoadResult {
  const lines = text.split(/\r?\n|\r/);
  const preflight = checkShape(text, lines);
  if (preflight)
    return {
      ...fileProblem(displayPath, preflight.message, preflight.line, preflight.column),
      sourceLine: (line) => lines[line - 1] ?? '',
    };
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: '1.2',
    schema: 'core',
    merge: false,
    // Duplicate keys are found in toPlain with a set: the parser's own check compares every key
    // with every earlier one, which a hostile 1 MiB mapping turns into minutes.
    uniqueKeys: false,
    strict: true,
    prettyErrors: true,
    lineCounter,
  });
  const list = Array.isArray(docs) ? docs : [];
  const problems: Problem[] = [];
  const documents: LoadedDocument[] = [];
  if (list.length > LOAD_LIMITS.maxDocuments) {
    return fileProblem(
      displayPath,
      `file holds ${list.length} documents, over the limit of ${LOAD_LIMITS.maxDocuments}`,
    );
  }
  const at = (offset: number): SourcePosition => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const broken: BrokenDocument[] = [];
  for (const [index, doc] of list.entries()) {
    const docProblems = yamlProblems(doc, displayPath, at, lines);
    if (docProblems.length) {
      problems.push(...docProblems);
      broken.push(brokenDocument(doc, index, displayPath, at));
      continue;
    }
    if (doc.contents === null) continue;
    const converted = toPlain(doc, displayPath, at);
    if (!converted.ok) {
      problems.push(converted.problem);
      broken.push(brokenDocument(doc, index, displayPath, at));
      continue;
    }
    if (converted.value === null) continue;
    documents.push(makeDocument(doc, index, converted.value, displayPath, at, lines));
  }
  return { documents, problems, broken, sourceLine: (line) => lines[line - 1] ?? '' };
}

function makeDocument(
  doc: Document.Parsed,
  index: number,
  value: unknown,
  file: string,
  at: (offset: number) => SourcePosition,
  lines: string[],
): LoadedDocument {
  const record = isRecord(value) ? value : undefined;
  const metadata = record && isRecord(record.metadata) ? record.metadata : undefined;
  return {
    file,
    index,
    value,
    kind: typeof record?.kind === 'string' ? record.kind : undefined,
    name: typeof metadata?.name === 'string' ? metadata.name : undefined,
    positionOf: (path, target = 'key') => at(locate(doc, path, target)),
    lines: { start: at(doc.range[0]).line, end: at(Math.max(doc.range[0], doc.range[2] - 1)).line },
    sourceLine: (line) => lines[line - 1] ?? '',
  };
}

function brokenDocument(
  doc: Document.Parsed,
  index: number,
  file: string,
  at: (offset: number) => SourcePosition,
): BrokenDocument {
  const text = (node: unknown): string | undefined =>
    isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
  const contents = doc.contents;
  const field = (map: unknown, key: string): unknown => (isMap(map) ? pairOf(map, key)?.value : undefined);
  const metadata = field(contents, 'metadata');
  return {
    file,
    index,
    kind: text(field(contents, 'kind')),
    name: text(field(metadata, 'name')),
    project: text(field(metadata, 'project')) ?? text(field(field(contents, 'spec'), 'project')),
    lines: { start: at(doc.range[0]).line, end: at(Math.max(doc.range[0], doc.range[2] - 1)).line },
  };
}

/** Each mapping's pairs by key, built on the first lookup, so locating n problems in one mapping is linear. */
const pairIndex = new WeakMap<object, Map<string, Pair>>();

function pairOf(map: { items: unknown[] }, key: string): Pair | undefined {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items as Pair[]) {
      if (!isScalar(p.key)) continue;
      const k = String(p.key.value);
      if (!index.has(k)) index.set(k, p);
    }
    pairIndex.set(map, index);
  }
  return index.get(key);
}

/** Offset of the node at `path`, or of the deepest ancestor that exists. */
function locate(doc: Document.Parsed, path: FieldPath, target: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [i, part] of path.entries()) {
    node = isAlias(node) ? node.resolve(doc) : node;
    let next: unknown;
    let keyNode: unknown;
    if (isMap(node)) {
      const pair = pairOf(node, String(part));
      keyNode = pair?.key;
      next = pair?.value;
    } else if (isSeq(node) && typeof part === 'number') {
      next = node.items[part];
    }
    if (keyNode === undefined && next === undefined) return offset;
    const last = i === path.length - 1;
    if (last && target === 'key' && keyNode !== undefined) return rangeStart(keyNode) ?? offset;
    offset = rangeStart(next) ?? rangeStart(keyNode) ?? offset;
    node = next;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/** Syntax errors per document whose place is worked out from the lines (the rest keep the parser's place). */
const LOCATED_ERRORS = 20;

function yamlProblems(
  doc: Document.Parsed,
  file: string,
  at: (o: number) => SourcePosition,
  lines: readonly string[],
): Problem[] {
  const problems: Problem[] = [];
  const places = new Set<string>();
  for (const [i, err] of [...doc.errors, ...doc.warnings].entries()) {
    const [start, end] = err.linePos ?? [];
    const plain = plainSyntaxError(
      {
        code: err.code,
        message: err.message,
        start: start ? { line: start.line, column: start.col } : at(err.pos[0]),
        end: end ? { line: end.line, column: end.col } : undefined,
      },
      lines,
      i < LOCATED_ERRORS,
    );
    // One problem per place: the parser often reports one mistake twice, or a second that only follows from it.
    const place = `${plain.line}:${plain.column}`;
    if (places.has(place)) continue;
    places.add(place);
    problems.push({
      file,
      line: plain.line,
      column: plain.column,
      path: '',
      message: plain.message,
      severity: 'error',
    });
  }
  if (doc.directives.yaml.explicit && doc.directives.yaml.version !== '1.2') {
    problems.push({
      file,
      line: 1,
      column: 1,
      path: '',
      message: `only YAML 1.2 is supported (the file declares %YAML ${doc.directives.yaml.version})`,
      severity: 'error',
    });
  }
  return problems;
}

type Converted = { ok: true; value: unknown } | { ok: false; problem: Problem };

/** Builds plain data from the document tree, enforcing depth, node and key rules. */
function toPlain(doc: Document.Parsed, file: string, at: (o: number) => SourcePosition): Converted {
  let budget = LOAD_LIMITS.maxNodes;
  const sizes = new WeakMap<object, number>();
  const fail = (node: unknown, path: FieldPath, message: string): never => {
    const pos = at(rangeStart(node) ?? 0);
    throw new ConversionError({ file, ...pos, path: formatPath(path), message, severity: 'error' });
  };
  const convert = (node: unknown, path: (string | number)[], depth: number): unknown => {
    if (--budget < 0)
      fail(node, path, `document expands to more than ${LOAD_LIMITS.maxNodes} nodes (too many aliases?)`);
    if (depth > LOAD_LIMITS.maxDepth) fail(node, path, `nesting deeper than ${LOAD_LIMITS.maxDepth} levels`);
    if (isAlias(node)) {
      // Charge the whole expansion up front, so a billion-laughs file fails at its first big alias.
      const target = node.resolve(doc);
      budget -= sizeOf(target, doc, sizes) - 1;
      if (budget < 0)
        fail(node, path, `document expands to more than ${LOAD_LIMITS.maxNodes} nodes (too many aliases?)`);
      return convert(target, path, depth + 1);
    }
    const tag = (node as { tag?: string } | null)?.tag;
    if (tag && !CORE_TAGS.has(tag))
      fail(
        node,
        path,
        `unsupported YAML tag ${tag.replace('tag:yaml.org,2002:', '!!')}: only plain YAML 1.2 core values are allowed`,
      );
    if (isScalar(node)) return node.value;
    if (isSeq(node)) return node.items.map((item, i) => convert(item, [...path, i], depth + 1));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isScalar(pair.key) || (pair.key.value !== null && typeof pair.key.value === 'object')) {
          fail(pair.key ?? node, path, 'keys must be plain strings');
        }
        const key = String((pair.key as { value: unknown }).value);
        if (seen.has(key)) fail(pair.key, [], DUPLICATE_KEY_MESSAGE);
        seen.add(key);
        if (FORBIDDEN_KEYS.has(key)) fail(pair.key, [...path, key], `key "${key}" is not allowed`);
        Object.defineProperty(out, key, {
          value: pair.value === null ? null : convert(pair.value, [...path, key], depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    if (node === null || node === undefined) return null;
    return fail(node, path, 'unsupported YAML node');
  };
  try {
    return { ok: true, value: convert(doc.contents, [], 0) };
  } catch (err) {
    if (err instanceof ConversionError) return { ok: false, problem: err.problem };
    throw err;
  }
}

/** Nodes a subtree expands to, aliases included; memoised so the count is linear in the file. */
function sizeOf(node: unknown, doc: Document.Parsed, sizes: WeakMap<object, number>, depth = 0): number {
  if (node === null || typeof node !== 'object') return 1;
  const known = sizes.get(node);
  if (known !== undefined) return known;
  if (depth > LOAD_LIMITS.maxDepth) return LOAD_LIMITS.maxNodes + 1;
  let size = 1;
  if (isAlias(node)) size = sizeOf(node.resolve(doc), doc, sizes, depth + 1);
  else if (isSeq(node)) for (const item of node.items) size += sizeOf(item, doc, sizes, depth + 1);
  else if (isMap(node)) for (const pair of node.items) size += 1 + sizeOf(pair.value, doc, sizes, depth + 1);
  size = Math.min(size, LOAD_LIMITS.maxNodes + 1);
  sizes.set(node, size);
  return size;
}

class ConversionError extends Error {
  override readonly name = 'ConversionError';
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/**
 * Rejects shapes the YAML parser itself cannot survive before it sees them: flow collections
 * nested past the depth limit (the parser exhausts memory on ~10k levels), absurd indentation,
 * and long runs of compact `- - -` sequences.
 */
function checkShape(text: string, lines: string[]): { message: string; line: number; column: number } | undefined {
  for (const [i, line] of lines.entries()) {
    const indent = line.length - line.trimStart().length;
    if (indent > LOAD_LIMITS.maxIndent) {
      return {
        message: `indentation of ${indent} columns is deeper than the limit of ${LOAD_LIMITS.maxIndent}`,
        line: i + 1,
        column: 1,
      };
    }
    const compact = /^(\s*-[ \t]+)+/.exec(line)?.[0].split('-').length ?? 0;
    if (compact - 1 > LOAD_LIMITS.maxDepth) {
      return { message: `nesting deeper than ${LOAD_LIMITS.maxDepth} levels`, line: i + 1, column: 1 };
    }
  }
  // Only a file with more brackets than the depth limit can nest too deep; most have a few.
  let brackets = 0;
  for (let i = 0; i < text.length && brackets <= LOAD_LIMITS.maxDepth; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) brackets++;
  }
  if (brackets <= LOAD_LIMITS.maxDepth) return undefined;
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') depth++;
    else if (token === ']' || token === '}') depth = Math.max(0, depth - 1);
    if (depth > LOAD_LIMITS.maxDepth) {
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      return {
        message: `nesting deeper than ${LOAD_LIMITS.maxDepth} levels`,
        line,
        column: offset - before.lastIndexOf('\n'),
      };
    }
    offset += token.length;
  }
  return undefined;
}

function decodeUtf8(bytes: Uint8Array): string | { message: string; line: number; column: number } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { message: 'file is UTF-16; spec files must be UTF-8', line: 1, column: 1 };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    return {
      message: 'binary file (contains a NUL byte); spec files must be UTF-8 text',
      ...lineAndColumn(bytes, nul),
    };
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return text;
  } catch {
    return {
      message: `file is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)})`,
      ...lineAndColumn(bytes, firstInvalidUtf8(bytes)),
    };
  }
}

function lineAndColumn(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  for (let b = bytes[i]; b !== undefined; b = bytes[i]) {
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return i;
}

function fileProblem(file: string, message: string, line = 1, column = 1): LoadResult {
  return {
    documents: [],
    problems: [{ file, line, column, path: '', message, severity: 'error' }],
    sourceLine: () => '',
  };
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
