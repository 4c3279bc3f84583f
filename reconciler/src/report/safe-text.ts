/**
 * Control characters out of everything labops shows: spec names, labels, file names, problem
 * messages quoting spec text, source lines, tags read back from AWS and record text are user
 * input, and a raw ESC can rewrite a terminal (move the cursor, retitle the window, hide lines),
 * a raw U+202E can make a comment or annotation read differently from its bytes (Trojan Source,
 * CVE-2021-42574). Each such character is shown as a visible escape (`\u001b`, `\u202e`) instead.
 * Newline and tab are kept (and a carriage return that ends a line, `\r\n`), since reports are
 * made of lines.
 */

/**
 * C0 controls except tab and newline (a carriage return only when not before a newline), DEL, C1
 * controls, and the bidirectional embeddings, overrides (U+202A–202E) and isolates (U+2066–2069).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's job
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;

/** The ANSI sequences report/style.ts `paint` writes (bold, dim, red, green, yellow, cyan and their resets). */
// eslint-disable-next-line no-control-regex -- the escape that starts an ANSI sequence
const OWN_COLOUR = /^\u001b\[(?:1|2|22|31|32|33|36|39)m/;

/** The "back to column 0, erase the line" a progress display starts each write with. */
const CLEAR_LINE = '\r\u001b[K';

function visible(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** The text with every control character (see above) replaced by its visible `\uXXXX` escape. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, visible);
}

/**
 * Text for a terminal: as {@link escapeControls}, except that when `colour` is on, the colour
 * codes `paint` writes and a leading "clear the line" of a progress display are kept. Every other
 * escape sequence — cursor movement, window titles, hyperlinks, hidden text — is shown escaped,
 * whoever wrote it.
 */
export function terminalText(text: string, colour: boolean): string {
  if (!colour) return escapeControls(text);
  const start = text.startsWith(CLEAR_LINE) ? CLEAR_LINE.length : 0;
  let out = text.slice(0, start);
  let from = start;
  for (let i = text.indexOf('\u001b', start); i !== -1; i = text.indexOf('\u001b', i + 1)) {
    const own = OWN_COLOUR.exec(text.slice(i, i + 5));
    if (!own) continue;
    out += escapeControls(text.slice(from, i)) + own[0];
    from = i + own[0].length;
  }
  return out + escapeControls(text.slice(from));
}
