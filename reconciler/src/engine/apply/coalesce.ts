/**
 * Mutations that one AWS request can make for many resources, coalesced across the actions of an
 * apply: the same tags on many resources in one CreateTags (AWS takes up to 1,000 resource ids),
 * many instances stopped (or hibernated, or started) in one call. Requests made in the same moment
 * with the same Region, operation and key become one call, paced like any other. A call AWS refuses
 * as a whole (one id in a wrong state fails the lot, and nothing is done) is sent again for each
 * request alone, so every action gets its own answer; a throttle or 5xx that outlasted the SDK's
 * retries is every request's answer.
 */
import { isTransient } from '../../aws/errors.js';
import type { Pacer, TimeSource } from './pacing.js';

/** Most resource ids in one coalesced call (CreateTags: "Up to 1000 resource IDs"). */
export const MAX_IDS_PER_CALL = 1000;

/** What requests share when they can be one call. */
export interface CoalescedCall {
  region: string;
  /** The API operation, for pacing (e.g. `CreateTags`). */
  operation: string;
  /** What else must be equal, e.g. the tag set. */
  key: string;
  /** Whether each id takes a token of the operation's resource bucket (instances). */
  countsInstances: boolean;
  /** Sends the call for these ids. @throws {AwsError} */
  send(ids: string[]): Promise<void>;
}

/**
 * Runs just before a request's call is sent (after pacing): throwing keeps that request out of the
 * call and answers it with the error (e.g. an apply stopped before this action changed anything).
 */
export type SendGate = () => void;

/** Coalesces requests into calls. */
export interface Coalescer {
  /** Resolves once a call including `ids` succeeded. @throws {AwsError} the call's (or its own) failure */
  add(call: CoalescedCall, ids: string[], gate: SendGate): Promise<void>;
}

interface Member {
  ids: string[];
  gate: SendGate;
  resolve(): void;
  reject(err: unknown): void;
}

/** Splits members into groups of at most {@link MAX_IDS_PER_CALL} ids (a member is never split). */
function groupsOf(members: Member[]): Member[][] {
  const groups: Member[][] = [];
  let current: Member[] = [];
  let size = 0;
  for (const m of members) {
    if (current.length > 0 && size + m.ids.length > MAX_IDS_PER_CALL) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(m);
    size += m.ids.length;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Creates a coalescer whose calls wait for `pacer` and gather for one `time.sleep(0)`. */
export function createCoalescer(pacer: Pacer, time: TimeSource): Coalescer {
  const open = new Map<string, { call: CoalescedCall; members: Member[] }>();

  async function sendOne(call: CoalescedCall, members: Member[], ids: string[]): Promise<void> {
    try {
      await call.send(ids);
      for (const m of members) m.resolve();
    } catch (err: unknown) {
      if (members.length === 1 || isTransient(err)) {
        for (const m of members) m.reject(err);
        return;
      }
      for (const m of members) {
        await pacer.take(call.region, call.operation, call.countsInstances ? m.ids.length : 0);
        await sendOne(call, [m], m.ids);
      }
    }
  }

  async function sendGroup(call: CoalescedCall, group: Member[]): Promise<void> {
    const ids = [...new Set(group.flatMap((m) => m.ids))];
    await pacer.take(call.region, call.operation, call.countsInstances ? ids.length : 0);
    const live = group.filter((m) => {
      try {
        m.gate();
        return true;
      } catch (err: unknown) {
        m.reject(err);
        return false;
      }
    });
    if (live.length === 0) return;
    await sendOne(call, live, [...new Set(live.flatMap((m) => m.ids))]);
  }

  async function flush(key: string): Promise<void> {
    // Requests made in this same moment (the rest of this burst of actions) join the call.
    await time.sleep(0);
    const batch = open.get(key);
    open.delete(key);
    if (batch === undefined) return;
    for (const group of groupsOf(batch.members)) await sendGroup(batch.call, group);
  }

  return {
    add(call, ids, gate) {
      return new Promise<void>((resolve, reject) => {
        const key = `${call.region}\n${call.operation}\n${call.key}`;
        let batch = open.get(key);
        if (batch === undefined) {
          batch = { call, members: [] };
          open.set(key, batch);
          void flush(key).catch((err: unknown) => {
            for (const m of batch?.members ?? []) m.reject(err);
          });
        }
        batch.members.push({ ids, gate, resolve, reject });
      });
    },
  };
}
