/**
 * Times read back from the run record are untrusted: whoever can push the status branch could
 * write a time in the future to make an action look already done for good (a snapshot slot taken,
 * a budget alert sent, a lease held). A recorded time later than the run's clock by more than the
 * clock skew allowed between hosts is ignored, as if absent.
 */

/** How far ahead of this run's clock another writer's clock may be. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** `iso` when it is a time no later than `now` plus {@link CLOCK_SKEW_MS}; otherwise (or when absent or unparsable) undefined. */
export function recordedTime(iso: string | undefined, now: Date): string | undefined {
  if (iso === undefined) return undefined;
  const at = Date.parse(iso);
  return Number.isFinite(at) && at <= now.getTime() + CLOCK_SKEW_MS ? iso : undefined;
}
