/**
 * YAML syntax errors in plain words, with the fix: the `yaml` package's error codes mapped to one
 * line a student can act on, keeping the file's line and column. Indentation errors are located
 * by reading the lines themselves, because the parser reports them where its reading went wrong
 * (often the value on the line above), not on the line that is out of place.
 */
import type { SourcePosition } from './load.js';

/** What the parser reported: its code, its own words, and where (1-based). */
export interface ParserError {
  code: string;
  message: string;
  start: SourcePosition;
  end: SourcePosition | undefined;
}

/** A syntax error as labops words it. */
export interface PlainSyntaxError extends SourcePosition {
  message: string;
}

const NEST_HINT = '(YAML uses indentation to nest)';
const TAB_MESSAGE = 'tabs are not allowed for indentation in YAML; use spaces';
export const DUPLICATE_KEY_MESSAGE = 'duplicate key: each field may appear only once';

/** The parser's first sentence without its own "at line L, column C". */
function parserWords(message: string): string {
  const first = (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  return `${first.charAt(0).toLowerCase()}${first.slice(1)}`;
}

/**
 * Rewrites one parser error; `lines` is the file's text by line. `locate: false` skips reading the
 * lines for an indentation error (each read is linear in the file: a file of thousands of such
 * errors locates the first few and words the rest by their code).
 */
export function plainSyntaxError(error: ParserError, lines: readonly string[], locate = true): PlainSyntaxError {
  const at = (message: string, where: SourcePosition = error.start): PlainSyntaxError => ({ ...where, message });
  const words = parserWords(error.message);
  const source = lines[error.start.line - 1] ?? '';
  switch (error.code) {
    case 'TAB_AS_INDENT':
      return at(TAB_MESSAGE);
    case 'DUPLICATE_KEY':
      return at(DUPLICATE_KEY_MESSAGE);
    case 'BAD_INDENT':
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY': {
      const misplaced = locate
        ? findMisindented(lines, error.start.line, (error.end ?? error.start).line + 1)
        : undefined;
      if (misplaced) return misplaced;
      if (/^flow map/.test(words))
        return at('a "{" opened above is never closed: end it with "}" (or write the mapping as indented lines)');
      if (/^flow sequence/.test(words))
        return at('a "[" opened above is never closed: end it with "]" (or write the list as "- " lines)');
      if (/^all sequence items/.test(words))
        return at(
          `this list item is indented differently from the items above it — start every "- " at one column ${NEST_HINT}`,
        );
      if (/^nested mappings/.test(words))
        return at(
          'a value cannot hold another "key: value" on the same line — put the inner field on its own line, indented under this one, or quote the value if the ": " is part of the text',
        );
      if (error.code === 'MULTILINE_IMPLICIT_KEY')
        return at(
          `a field name must fit on one line — is a ":" missing after it, or is a line here indented differently from the lines above it? ${NEST_HINT}`,
        );
      return at(
        `this line is indented differently from the lines above it — line each field up with the others at its level ${NEST_HINT}`,
      );
    }
    case 'MISSING_CHAR': {
      const quote = /^missing closing (["'])quote/.exec(words)?.[1];
      if (quote) {
        const opened = openingQuote(lines, error.start.line, quote);
        return at(
          `the ${quote} that starts this value is never closed: add the closing ${quote} where the value ends`,
          opened,
        );
      }
      if (/^implicit map keys need to be followed/.test(words))
        return at('this line has no ":" — write it as "field: value" (or "- value" for a list item)');
      if (/^missing space after :/.test(words)) return at('put a space after ":" (write "field: value")');
      if (/^missing , (or : )?between/.test(words))
        return at('a comma is missing between two items of this { } or [ ] list');
      if (/^comments must be separated/.test(words))
        return at('put a space before "#": a comment must be separated from the value');
      if (/^sequence item without -/.test(words)) return at('this list item has no "- " in front of it');
      return at(`YAML syntax error: ${words}`);
    }
    case 'BAD_SCALAR_START': {
      let value = source.slice(error.start.column - 1).replace(/\s+#.*$/, '');
      // Inside [ ] or { } the value ends at the next comma or bracket.
      if (bracketBalance(source.slice(0, error.start.column - 1)) > 0) value = value.replace(/[,\]}].*$/, '');
      value = value.trim();
      const char = value.charAt(0);
      return at(
        `a value cannot start with ${char} unless it is quoted — write it as "${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
      );
    }
    case 'BAD_DQ_ESCAPE': {
      const escape = /^invalid escape sequence (\\.?)/.exec(words)?.[1] ?? '\\';
      return at(
        `"${escape}" is not an escape YAML knows inside double quotes — write \\\\ for each backslash (Windows paths), or use single quotes, where \\ needs no escaping`,
      );
    }
    case 'UNEXPECTED_TOKEN': {
      if (/^unexpected scalar at node end/.test(words))
        return at(
          `unexpected text after the value — if the value contains the quote it is written in, use the other quote ("it's") or double it ('it''s')`,
        );
      const bracket = /^unexpected flow-(map|seq)-end token/.exec(words)?.[1];
      if (bracket)
        return at(
          `a "${bracket === 'map' ? '}' : ']'}" here closes nothing: remove it or add the "${bracket === 'map' ? '{' : '['}" it closes`,
        );
      if (/^unexpected , in/.test(words)) return at('a stray comma: remove it');
      if (/^unexpected empty item/.test(words)) return at('an empty item between two commas: remove one comma');
      return at(`YAML syntax error: ${words}`);
    }
    case 'BLOCK_IN_FLOW':
      return at(
        'inside { } or [ ] every value must be written inline: indented lines and "- " lists are not allowed there',
      );
    case 'TAG_RESOLVE_FAILED': {
      const tag = /^unresolved tag: (\S+)/.exec(words)?.[1];
      return at(
        tag
          ? `unsupported YAML tag ${tag}: labops specs hold plain values only — remove the tag`
          : `YAML syntax error: ${words}`,
      );
    }
    case 'KEY_OVER_1024_CHARS':
      return at('a field name is longer than 1024 characters');
    default:
      return at(`YAML syntax error: ${words}`);
  }
}

/** Where the quote left open before `line` starts: the last earlier line with an odd number of them. */
function openingQuote(lines: readonly string[], line: number, quote: string): SourcePosition | undefined {
  for (let i = Math.min(line, lines.length) - 1; i >= 0 && i >= line - 200; i--) {
    const text = lines[i] ?? '';
    const count = text.split(quote).length - 1;
    if (count % 2 === 1) return { line: i + 1, column: text.lastIndexOf(quote) + 1 };
  }
  return undefined;
}

/** An open block entry, as the indentation reader sees it. */
interface Level {
  /** Column (0-based) of the key, or of the "-" of a list item. */
  indent: number;
  /** The key, for a mapping entry; undefined for a list item. */
  key: string | undefined;
  /** True when nothing follows the ":" (or "-"): a nested block may come next. */
  open: boolean;
  /** Column of the entries nested under it, once there is one. */
  child?: number;
  /** Key of the last entry nested under it; undefined when those are list items. */
  lastChild?: string;
}

/** `key:` or `key: value` (plain, or quoted key), the value after the first ": ". */
const KEY = /^("[^"]*"|'[^']*'|[^\s#'"?:,[\]{}&*!|>%@`-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?:[ \t]+(.*))?$/;

/** `{`/`[` opened minus closed, outside quotes (roughly: enough to skip a multi-line flow value). */
function bracketBalance(text: string): number {
  let balance = 0;
  for (const c of text.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '')) {
    if (c === '[' || c === '{') balance++;
    else if (c === ']' || c === '}') balance--;
  }
  return balance;
}

/**
 * The first line from `from` to `to` (1-based, inclusive) indented out of step with the lines
 * above it, with a message naming the key to line it up with. Reads block mappings and lists;
 * skips comments, block scalars and multi-line flow values and quotes. Undefined when it finds no
 * such line in that range, or finds one before it (then its reading and the parser's disagree,
 * and the parser's report is worded by its code instead).
 */
export function findMisindented(lines: readonly string[], from: number, to: number): PlainSyntaxError | undefined {
  const stack: Level[] = [];
  let blockScalarAbove: number | undefined;
  let flowDepth = 0;
  let quoteOpen: string | undefined;
  for (let n = 0; n < Math.min(lines.length, to); n++) {
    const raw = lines[n] ?? '';
    const text = raw.trimEnd();
    const indent = raw.length - raw.trimStart().length;
    if (quoteOpen !== undefined) {
      if ((text.split(quoteOpen).length - 1) % 2 === 1) quoteOpen = undefined;
      continue;
    }
    if (flowDepth > 0) {
      flowDepth = Math.max(0, flowDepth + bracketBalance(text));
      continue;
    }
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    if (blockScalarAbove !== undefined) {
      if (indent > blockScalarAbove) continue;
      blockScalarAbove = undefined;
    }
    if (/^(---|\.\.\.)(\s|$)/.test(text) || text.startsWith('%')) {
      stack.length = 0;
      continue;
    }
    if (raw.slice(0, indent).includes('\t')) return undefined;
    let rest = text.slice(indent);
    let column = indent;
    const dash = /^-(\s+|$)/.exec(rest);
    if (dash) {
      column += dash[0].length;
      rest = rest.slice(dash[0].length);
      if (/^-(\s|$)/.test(rest)) return undefined; // "- - a": nested compact lists are left to the parser
    }
    const key = KEY.exec(rest);
    // A continuation of a multi-line plain value, or something the parser will name: not judged here.
    if (!dash && !key) continue;
    const name = key?.[1];
    const value = (dash && !key ? rest : (key?.[2] ?? '')).replace(/(^|\s+)#.*$/, '').trim();
    const lineNo = n + 1;
    const misplaced = (anchor: string | undefined): PlainSyntaxError | undefined => {
      if (lineNo < from || anchor === undefined) return undefined;
      const what = dash ? 'this "- "' : `"${name ?? ''}:"`;
      return {
        line: lineNo,
        column: indent + 1,
        message: `this line is indented differently from the lines above it — ${anchor === '-' ? 'start this "- " at the column of the "- " above it' : `line up ${what} with "${anchor}:"`} ${NEST_HINT}`,
      };
    };
    while ((stack.at(-1)?.indent ?? -1) > indent) stack.pop();
    let top = stack.at(-1);
    const entry: Level = dash
      ? { indent, key: undefined, open: value === '' && !key }
      : { indent, key: name, open: value === '' };
    if (top && top.indent === indent && top.key === undefined && !dash) {
      // A key after a list written at its key's column ("volumes:", "- a", "other: 1") ends the list.
      const below = stack.at(-2);
      if (below?.indent !== indent || below.key === undefined) return undefined;
      stack.pop();
      top = below;
    }
    if (!top) stack.push(entry);
    else if (top.indent === indent) {
      if (dash && top.key !== undefined) {
        if (!top.open) return undefined;
        top.child = indent;
        stack.push(entry); // a list written at its key's column
      } else {
        stack[stack.length - 1] = entry;
        const parent = stack.at(-2);
        if (parent) parent.lastChild = dash ? undefined : name;
      }
    } else if (!top.open) {
      // Deeper than the line above, which already has its value.
      return misplaced(top.key ?? top.lastChild);
    } else if (top.child !== undefined && top.child !== indent) {
      // Between the level it left and the level of the entries above it.
      const childIsCloser = Math.abs(top.child - indent) <= Math.abs(top.indent - indent);
      if (!childIsCloser) return misplaced(top.key);
      return misplaced(top.lastChild ?? (dash ? '-' : top.key));
    } else {
      top.child = indent;
      top.lastChild = dash ? undefined : name;
      stack.push(entry);
    }
    if (dash && key) {
      // "- name: a": the item's entries line up with "name".
      const item = stack.at(-1);
      if (item) Object.assign(item, { open: true, child: column, lastChild: name });
      stack.push({ indent: column, key: name, open: value === '' });
    }
    if (/^[|>][-+0-9]*$/.test(value)) blockScalarAbove = dash && !key ? indent : column;
    if (/^["']/.test(value) && (value.split(value.charAt(0)).length - 1) % 2 === 1) quoteOpen = value.charAt(0);
    if (/^[[{]/.test(value)) flowDepth = Math.max(0, bracketBalance(value));
  }
  return undefined;
}
