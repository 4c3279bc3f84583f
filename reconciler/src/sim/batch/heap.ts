/**
 * A binary min-heap of timed events, so advancing the clock over ten thousand array children
 * stays O(n log n). Ties keep insertion order, which keeps the simulation deterministic.
 */

/** One scheduled transition of one job. */
export interface BatchEvent {
  /** Epoch ms the transition happens. */
  at: number;
  /** Insertion order, for stable ties. */
  seq: number;
  jobId: string;
}

function before(a: BatchEvent, b: BatchEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function swap(heap: BatchEvent[], i: number, j: number): void {
  const a = heap[i] as BatchEvent;
  heap[i] = heap[j] as BatchEvent;
  heap[j] = a;
}

/** Adds an event. */
export function heapPush(heap: BatchEvent[], event: BatchEvent): void {
  heap.push(event);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i] as BatchEvent, heap[parent] as BatchEvent)) return;
    swap(heap, i, parent);
    i = parent;
  }
}

/** Removes and returns the earliest event. */
export function heapPop(heap: BatchEvent[]): BatchEvent | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (top === undefined || last === undefined || heap.length === 0) return top;
  heap[0] = last;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let smallest = i;
    if (left < heap.length && before(heap[left] as BatchEvent, heap[smallest] as BatchEvent)) smallest = left;
    if (right < heap.length && before(heap[right] as BatchEvent, heap[smallest] as BatchEvent)) smallest = right;
    if (smallest === i) return top;
    swap(heap, i, smallest);
    i = smallest;
  }
}
