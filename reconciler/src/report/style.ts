/** Terminal styling: colour only when writing to a TTY and not turned off (`--no-color`, NO_COLOR). */

/** Whether output may use ANSI colour. */
export interface Style {
  color: boolean;
}

const CODES = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  dim: [2, 22],
  bold: [1, 22],
  cyan: [36, 39],
} as const;

/** The colour names {@link paint} knows. */
export type Colour = keyof typeof CODES;

/** Wraps text in an ANSI colour when the style allows it. */
export function paint(style: Style, colour: Colour, text: string): string {
  if (!style.color) return text;
  const [on, off] = CODES[colour];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

/** Colour on for a TTY unless `--no-color` or the NO_COLOR convention says otherwise. */
export function styleFor(stream: { isTTY?: boolean }, noColor: boolean, env: NodeJS.ProcessEnv = process.env): Style {
  return { color: Boolean(stream.isTTY) && !noColor && !env.NO_COLOR && env.TERM !== 'dumb' };
}
