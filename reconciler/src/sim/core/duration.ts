/**
 * Go-style durations as the control API accepts them: `90m`, `36h`, `1h30m`, `45s`, `500ms`,
 * `7d` (days are a labops extension; Go has none).
 */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parses a duration into milliseconds.
 * @throws {RangeError} when the text is not a sequence of `<number><unit>` parts.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = part.exec(trimmed)) !== null) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
    consumed = part.lastIndex;
  }
  if (trimmed.length === 0 || consumed !== trimmed.length) {
    throw new RangeError(`invalid duration "${text}" (expected e.g. 90m, 36h, 1h30m)`);
  }
  return total;
}
