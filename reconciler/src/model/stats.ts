/** Small statistics over measured figures. */

/** The median of `values` (the mean of the middle two for an even count), or undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * The median of the first `count` of `preferred` (newest first) when it has any, else of the first
 * `count` of `fallback`, with how many values it is of; undefined when both are empty.
 */
export function medianOfNewest(
  preferred: readonly number[],
  fallback: readonly number[],
  count: number,
): { value: number; samples: number } | undefined {
  const chosen = (preferred.length > 0 ? preferred : fallback).slice(0, count);
  const value = median(chosen);
  return value === undefined ? undefined : { value, samples: chosen.length };
}
