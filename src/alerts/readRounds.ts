// A yes-or-no question asked of several records (is any indexed channel subscribed?) without
// reading them one after another: in rounds read at once, the first of one record, each next
// twice the last, up to READS_AT_ONCE, stopping after the round that answers yes. When the first
// entry answers (the usual case: an index holds few stale entries), it costs the one read that
// going one by one costs; a long run of entries that do not answer costs a few round trips rather
// than one each, and never more than READS_AT_ONCE reads are waited on at a time.

/** The most reads a round waits on at once: the store's answer time, not its throughput, is what
 * the rounds save, and a bound keeps one question from crowding other callers out. */
export const READS_AT_ONCE = 16;

/** True when `test` holds for some item; reads every item when none does. `test` of one round run
 * at once; a rejection ends the question with that rejection. */
export async function anyInRounds<T>(
  items: readonly T[],
  test: (item: T) => Promise<boolean>,
  most: number = READS_AT_ONCE,
): Promise<boolean> {
  let size = 1;
  for (let at = 0; at < items.length; at += size, size = Math.min(most, size * 2)) {
    const answers = await Promise.all(items.slice(at, at + size).map(test));
    if (answers.some((yes) => yes)) return true;
  }
  return false;
}
