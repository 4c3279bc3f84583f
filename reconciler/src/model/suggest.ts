/** "Did you mean …?" suggestions for typos in field names, kinds and references. */

/** Levenshtein distance, O(a·b) time, O(b) memory. */
export function editDistance(a: string, b: string): number {
  // `prev` is the previous row; along a row, `left` is this row's last cell and `diag` the cell above it.
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let distance = b.length;
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let left = i;
    let diag = i - 1;
    for (const [k, up] of prev.slice(1).entries()) {
      left = Math.min(up + 1, left + 1, diag + (a[i - 1] === b[k] ? 0 : 1));
      cur.push(left);
      diag = up;
    }
    prev = cur;
    distance = left;
  }
  return distance;
}

/** The closest candidate within a third of the word's length (at least 2 edits), if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean "x"?)` or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = closest(word, candidates);
  return hit === undefined ? '' : ` (did you mean "${hit}"?)`;
}
