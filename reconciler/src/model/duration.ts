/**
 * Durations: the one parser (two grammars, see {@link DurationGrammar}) and the one formatter.
 * Units are in the names: `parseDurationMs` answers milliseconds, `parseDurationSeconds` whole seconds.
 */

/** Milliseconds in each unit a duration may use. */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Which durations a parse accepts.
 *
 * - `spec` (the default): what specs and CLI flags take, the pattern of `duration` in
 *   schemas/common.schema.json: one whole number of at most 7 digits and one unit `s`, `m`, `h` or
 *   `d` (`30m`, `6h`, `2d`), nothing around it. `1h30m`, `1.5h`, `500ms` and ` 30m` are refused.
 * - `go`: what the simulator's control API (`{"advance": "168h"}`) and its AWS-shaped inputs
 *   (`LABOPS_SIM_DURATION`) take, the shape of Go's `time.ParseDuration`: one or more parts, each a
 *   number (decimals allowed) and a unit `ms`, `s`, `m`, `h` or `d` (days are a labops extension; Go
 *   has none), `1h30m`, `1.5h`, `500ms`; space around the whole is ignored.
 */
export type DurationGrammar = 'spec' | 'go';

const GRAMMARS: Record<DurationGrammar, { part: string; maxParts: number; trim: boolean }> = {
  spec: { part: '(\\d{1,7})(s|m|h|d)', maxParts: 1, trim: false },
  go: { part: '(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)', maxParts: Infinity, trim: true },
};

/** Milliseconds in `text`, or undefined when it is not a duration in `grammar`. */
export function parseDurationMs(text: string, grammar: DurationGrammar = 'spec'): number | undefined {
  const { part, maxParts, trim } = GRAMMARS[grammar];
  const body = trim ? text.trim() : text;
  const next = new RegExp(part, 'y');
  let total = 0;
  let parts = 0;
  while (next.lastIndex < body.length && parts < maxParts) {
    const match = next.exec(body);
    if (match === null) return undefined;
    const [, amount = '', unit = ''] = match;
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
    parts++;
  }
  return parts > 0 && next.lastIndex === body.length ? total : undefined;
}

/** Whole seconds in `text` (rounded to the nearest), or undefined when it is not a duration in `grammar`. */
export function parseDurationSeconds(text: string, grammar: DurationGrammar = 'spec'): number | undefined {
  const ms = parseDurationMs(text, grammar);
  return ms === undefined ? undefined : Math.round(ms / 1000);
}

/** `5400` → `1h30m`; the shortest exact form, for messages and plans. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  let rest = Math.round(seconds);
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
