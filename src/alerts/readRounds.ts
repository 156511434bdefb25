// Many records read for one answer, never all at once: each store call has a deadline of its own
// (by default 10 s on Azure Blob Storage), and hundreds started together contend for the same
// connections and account, so a slow store times them out together. Two shapes, one bound, READS_AT_ONCE:
// - anyInRounds, a yes-or-no question (is any indexed channel subscribed?): in rounds read at
//   once, the first of one record, each next twice the last, stopping after the round that answers
//   yes. When the first entry answers (the usual case: an index holds few stale entries), it costs
//   the one read that going one by one costs; a long run of entries that do not answer costs a few
//   round trips rather than one each.
// - mapAtMost, every record wanted (the channels a fan-out reaches, a fan-out's report): a pool of
//   READS_AT_ONCE readers, each taking the next item when its read ends.

/** The most reads waited on at once: the store's answer time, not its throughput, is what reading
 * several at a time saves, and a bound keeps one question from crowding other callers out. */
export const READS_AT_ONCE = 16;

/** A bound that reads nothing (0, negative, not a whole number) would answer with holes (mapAtMost)
 * or never end (anyInRounds): refused, as the caller's mistake it is. */
function checkBound(most: number): void {
  if (!Number.isInteger(most) || most < 1)
    throw new RangeError(`The reads at once must be a whole number of at least 1, not ${most}.`);
}

/** True when `test` holds for some item; reads every item when none does. `test` of one round run
 * at once; a rejection ends the question with that rejection. */
export async function anyInRounds<T>(
  items: readonly T[],
  test: (item: T) => Promise<boolean>,
  most: number = READS_AT_ONCE,
): Promise<boolean> {
  checkBound(most);
  let size = 1;
  for (let at = 0; at < items.length; at += size, size = Math.min(most, size * 2)) {
    const answers = await Promise.all(items.slice(at, at + size).map(test));
    if (answers.some((yes) => yes)) return true;
  }
  return false;
}

/** `read` of every item, at most `most` under way at a time; the answers in the items' order. The
 * first rejection rejects the whole, as Promise.all would, and no item not yet started is read. */
export async function mapAtMost<T, R>(
  items: readonly T[],
  read: (item: T) => Promise<R>,
  most: number = READS_AT_ONCE,
): Promise<R[]> {
  checkBound(most);
  const answers = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const reader = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const at = next++;
      try {
        answers[at] = await read(items[at]!);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(most, items.length) }, reader));
  return answers;
}
