// The end of a remembered command whose sign-in never completed in time (signIns.ts: 15 minutes).
// Contract §6 owes it one audit line when it ends, and nobody may ever ask about it again (the
// user walked away), so nothing but a pass over every waiting sign-in can notice it; the state
// port lists nothing, so every sign-in is also noted in a due index (records per 5 minutes of
// creation, in a few shards so that concurrent sign-ins seldom collide), which the periodic pass
// (one instance at a time, under its row's lease) reads once each 5 minutes are over. An entry
// whose time is over stays readable (KEEP_MS), judged no longer waiting by every reader
// (waitingNow), until the one caller that removes it (compare and swap: this pass, or a sign out
// or a newer sign-in that forgets it, signInDrops.ts) tells that its command ended. Passes that
// overlap (a lease lost midway) or repeat a stretch (a pass cut short) tell nothing twice.

import type { Records } from './port';
import type { WaitingNow } from './signInLookup';
import { waiting } from './signInRanMarks';
import { Forgotten, dropWaiting } from './signInDrops';
import { updateRecord } from './update';

/** How long an entry whose time is over stays readable for the pass that ends it: when no pass
 * ran for as long (every instance down, or the periodic pass off), its command ends unaudited. */
export const KEEP_MS = 24 * 60 * 60_000;
const BUCKET_MS = 5 * 60_000;
const SHARDS = 8;
/** Buckets one pass reads at most (two hours of sign-ins); a later pass goes on from there. */
const BUCKETS_PER_PASS = 24;
const DUE = 'signin-due:';
/** The first bucket not wholly read yet; kept for ever (one record), made by the first sign-in. */
const CURSOR = 'signin-due-cursor';

export interface ExpiryClock {
  readonly ttlMs: number;
  readonly now: () => number;
}

/** The entry when it waits now: not run, and created less than `ttlMs` ago. */
export function waitingNowOf<T>(clock: ExpiryClock): WaitingNow<T> {
  return (stored) => {
    const entry = waiting(stored);
    return entry && entry.createdAt + clock.ttlMs > clock.now() ? entry : null;
  };
}

const bucketOf = (t: number): number => Math.floor(t / BUCKET_MS);
const shardOf = (id: string): number => [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 0) % SHARDS;
const dueKey = (bucket: number, shard: number): string => `${DUE}${bucket}:${shard}`;
/** Stores whose cursor this process made or found there: it is never deleted, so asked once. */
const cursorKnown = new WeakSet<Records>();

/** Notes the sign-in `id`, created at `createdAt`, in the due index: before its entry is written,
 * so that no entry is ever missing from it (an index id with no entry is passed over). The first
 * sign-in ever noted also says where the pass starts reading (one conditional write, a no-op
 * after): so no cursor means nothing was ever noted. It starts a waiting time before that sign-in:
 * another first sign-in at once, on an instance whose clock is a little behind or whose write
 * landed second, falls in an earlier bucket, which would otherwise never be read (a few empty
 * buckets read once is the cost). */
export async function noteDue(records: Records, clock: ExpiryClock, id: string, createdAt: number): Promise<void> {
  if (!cursorKnown.has(records)) {
    await records.create<{ next: number }>(CURSOR, { next: bucketOf(createdAt - clock.ttlMs) }, 'none');
    cursorKnown.add(records);
  }
  await updateRecord<{ ids: string[] }>(
    records,
    dueKey(bucketOf(createdAt), shardOf(id)),
    (current) => ({ next: { ids: [...(current?.ids ?? []).filter((x) => x !== id), id] } }),
    { ttlMs: clock.ttlMs + KEEP_MS + BUCKET_MS },
  );
}

/**
 * Ends the sign-ins whose time ran out in the buckets not read yet, telling `ended` of each this
 * call removed (with `expired` true); how many. Stops before its next read or removal once `stop`
 * aborts (shutdown, when the store is about to close, or the pass's row lost); a store that
 * fails throws: a later pass reads the same buckets again.
 */
export async function endExpired<T>(
  records: Records,
  clock: ExpiryClock,
  ended: Forgotten<T>,
  stop?: AbortSignal,
): Promise<number> {
  const now = clock.now();
  const oldest = bucketOf(now - clock.ttlMs - KEEP_MS);
  // A bucket is over once every sign-in created in it has waited its time.
  const over = (bucket: number) => (bucket + 1) * BUCKET_MS + clock.ttlMs <= now;
  const cursor = (await records.get<{ next: number }>(CURSOR))?.value.next;
  if (cursor === undefined) return 0;
  let count = 0;
  let bucket = Math.max(cursor, oldest);
  for (let n = 0; n < BUCKETS_PER_PASS && over(bucket); n++, bucket++) {
    for (let shard = 0; shard < SHARDS; shard++) {
      // Checked before each read too: the stop may mean the store is about to close.
      if (stop?.aborted) return count;
      const ids = (await records.get<{ ids: string[] }>(dueKey(bucket, shard)))?.value.ids ?? [];
      for (const id of ids) {
        if (stop?.aborted) return count;
        // Only what waited its time out: a sign-in still waiting (a clock behind) stays.
        const dropped = await dropWaiting<T>(records, id, waitingNowOf<T>(clock), true);
        if (dropped) {
          ended(dropped.entry, true);
          count++;
        }
      }
    }
    const done = bucket + 1;
    await updateRecord<{ next: number }>(
      records,
      CURSOR,
      (current) => (current && current.next >= done ? 'keep' : { next: { next: done } }),
      'none',
    );
  }
  return count;
}
