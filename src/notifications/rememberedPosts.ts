// Posts Teams accepted whose outcome could not be written, remembered in this process so the row's
// next pass writes the outcome instead of posting again (worker.ts, fanoutWorker.ts). Each is
// tied to the acceptance of the event it was sent for: the same id accepted again after its
// retention is a new event, planned anew, and a post remembered for the earlier one is let go
// rather than written as the new one's. Whoever claimed the record since (another instance that
// took it over and was refused, or stopped) does not matter: the card this post made is still the
// only one there, and writing it is what keeps a second from being sent.

// How long a post is remembered: as long as its row comes back, since a post let go while its row
// still does is posted again by that row's next pass (a second card in the chat). No time bound
// fits: a row never expires (queued events wait without one), and a store that fails for a day
// makes its passes fail for a day. What must not grow without bound are posts whose row never
// comes back here (another instance settled it, or the row was set aside): so memory is bounded
// by a count, and each pass of a row (take, holds, expired) moves its post to the newest end, so
// the posts let go first are those whose rows stopped coming back longest ago. A live post is let
// go only when MAX_REMEMBERED others were seen since its row's last pass.

/** A post made longer ago than this no longer holds its row back from being set aside (holds(),
 * expired()): a write that fails for a day will not go through. It is still remembered. */
const KEEP_MS = 24 * 3_600_000;

/** The most posts remembered. Each is an id, an acceptance time and an outcome (well under a
 * kilobyte), so this holds memory to a few megabytes. Live entries are posts whose outcome write
 * failed on every try of their pass: thousands at once would take a store refusing every outcome
 * write while accepting every claim, on one instance, for hours. */
export const MAX_REMEMBERED = 10_000;

type Entry<V> = { readonly value: V; readonly acceptance: string | undefined; readonly at: number };

export class RememberedPosts<V> {
  /** In the order last seen (a Map keeps insertion order): the least recently seen first. */
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly now: () => number,
    private readonly maxEntries = MAX_REMEMBERED,
  ) {}

  /** `acceptance`: when the event was accepted (its record's acceptedAt; none for alerts the bot
   * made itself, whose ids are never reused). */
  remember(id: string, acceptance: string | undefined, value: V): void {
    this.entries.delete(id);
    this.entries.set(id, { value, acceptance, at: this.now() });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /** The post remembered for `id` when the record is still of the acceptance it was sent for (seen
   * by its row's pass: moved to the newest end). */
  take(id: string, acceptanceOnRecord: string | undefined): V | undefined {
    const entry = this.seen(id);
    if (!entry) return undefined;
    if (entry.acceptance === acceptanceOnRecord) return entry.value;
    this.entries.delete(id);
    return undefined;
  }

  /** Whether a post of that acceptance is remembered and made within KEEP_MS: what holds a row
   * that fails on every pass back from being set aside (poisonRow.ts, poisonAlertRow.ts). Not for
   * ever: a write that fails for a day will not go through, and the row would come back for ever. */
  holds(id: string, acceptanceOnRecord: string | undefined): boolean {
    const entry = this.entries.get(id);
    return entry !== undefined && this.take(id, acceptanceOnRecord) !== undefined && this.now() - entry.at <= KEEP_MS;
  }

  /** The post remembered for `id` once it is past KEEP_MS (kept, for the row's next pass to write
   * if it still can): the row that fails on every pass is then set aside after all. */
  expired(id: string): V | undefined {
    const entry = this.seen(id);
    return entry && this.now() - entry.at > KEEP_MS ? entry.value : undefined;
  }

  /** The entry of `id`, moved to the newest end: its row came back. */
  private seen(id: string): Entry<V> | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry;
  }

  /** Whether a post of `id` is still remembered here, of any acceptance (not let go meanwhile). */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
