// The newest news Teams sent of one place (a channel, a team): events from Teams may be handled out
// of order (two instances, a redelivery), so what a place's record keeps is, for each kind of news,
// the latest time Teams sent it (the activity's timestamp, epoch ms), and an event acts only when
// no news of a kind that undoes it was sent after it. Writes are compare-and-swap, so two instances
// noting news of one place at once both count.

import { Records, Ttl } from '../state/port';
import { updateRecord } from '../state/update';

/** The latest time Teams sent each kind of news of a place (epoch ms). */
export type PlaceNews<K extends string> = Partial<Record<K, number>>;

/** The news of the place kept at `key` (null when none is kept, or it expired). */
export async function readNews<K extends string>(records: Records, key: string): Promise<PlaceNews<K> | null> {
  return (await records.get<PlaceNews<K>>(key))?.value ?? null;
}

/** Whether `news` holds news of one of `kinds` sent after `at`. */
export function newsSince<K extends string>(news: PlaceNews<K> | null, kinds: readonly K[], at: number): boolean {
  return kinds.some((k) => (news?.[k] ?? -Infinity) > at);
}

/** Notes news of `kind` sent at `at` in the record at `key`, keeping the latest time of each kind
 * (each write lives `expiry` from then on); the news as it stood when the write was decided, for
 * the caller to judge the event by (newsSince). */
export async function noteNews<K extends string>(
  records: Records,
  key: string,
  kind: K,
  at: number,
  expiry: Ttl,
): Promise<PlaceNews<K> | null> {
  let before: PlaceNews<K> | null = null;
  await updateRecord<PlaceNews<K>>(
    records,
    key,
    (cur) => {
      before = cur;
      return cur && (cur[kind] ?? -Infinity) >= at ? 'keep' : { next: { ...cur, [kind]: at } as PlaceNews<K> };
    },
    expiry,
  );
  return before;
}
