/** escapeControls and terminalText: control characters shown as visible escapes, never raw. */
import { describe, expect, it } from 'vitest';
import { escapeControls, terminalText } from '../../../reconciler/src/report/safe-text.js';
import { paint } from '../../../reconciler/src/report/style.js';

describe('escapeControls', () => {
  it.each([
    ['plain', 'plain'],
    ['two\nlines\twith a tab', 'two\nlines\twith a tab'],
    ['crlf\r\nkept', 'crlf\r\nkept'],
    ['lone\rcarriage return', 'lone\\u000dcarriage return'],
    ['\u001b]0;pwned\u0007title', '\\u001b]0;pwned\\u0007title'],
    ['\u001b[2J\u001b[Hclear', '\\u001b[2J\\u001b[Hclear'],
    ['nul\u0000 del\u007f c1\u009b', 'nul\\u0000 del\\u007f c1\\u009b'],
    ['admin\u202e\u2066txt.exe\u2069', 'admin\\u202e\\u2066txt.exe\\u2069'],
    ['\u202a\u202b\u202c\u202d\u2067\u2068', '\\u202a\\u202b\\u202c\\u202d\\u2067\\u2068'],
    ['zero\u200bwidth and é ü 日本', 'zero\u200bwidth and é ü 日本'],
  ])('escapeControls(%j)', (text, expected) => {
    expect(escapeControls(text)).toBe(expected);
  });
});

describe('terminalText', () => {
  const red = paint({ color: true }, 'red', 'error');

  it.each([
    ['colour off: every ESC escaped', `${red} \u001b[8mhidden`, false, '\\u001b[31merror\\u001b[39m \\u001b[8mhidden'],
    [
      'colour on: paint codes kept, others escaped',
      `${red} \u001b[8mhidden\u001b]8;;http://x\u0007`,
      true,
      `${red} \\u001b[8mhidden\\u001b]8;;http://x\\u0007`,
    ],
    [
      'colour on: a progress line clears its line',
      '\r\u001b[K… ws-a: launching\u202e',
      true,
      '\r\u001b[K… ws-a: launching\\u202e',
    ],
    ['colour on: a clear-line inside text is escaped', 'ok\r\u001b[Kforged', true, 'ok\\u000d\\u001b[Kforged'],
  ])('%s', (_what, text, colour, expected) => {
    expect(terminalText(text, colour)).toBe(expected);
  });
});
