// Posts Teams accepted whose outcome could not be written, remembered in this process so the row's
// next pass writes the outcome instead of posting again (worker.ts, fanoutWorker.ts). Each is
// tied to the acceptance of the event it was sent for: the same id accepted again after its
// retention is a new event, planned anew, and a post remembered for the earlier one is let go
// rather than written as the new one's. Whoever claimed the record since (another instance that
// took it over and was refused, or stopped) does not matter: the card this post made is still the
// only one there, and writing it is what keeps a second from being sent.

/** An entry not taken within this is let go: the row comes back within minutes, unless another
 * instance settled it, and then nothing here would ever remove it. */
const KEEP_MS = 24 * 3_600_000;

export class RememberedPosts<V> {
  private readonly entries = new Map<
    string,
    { readonly value: V; readonly acceptance: string | undefined; readonly at: number }
  >();

  constructor(private readonly now: () => number) {}

  /** `acceptance`: when the event was accepted (its record's acceptedAt; none for alerts the bot
   * made itself, whose ids are never reused). */
  remember(id: string, acceptance: string | undefined, value: V): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (now - entry.at > KEEP_MS) this.entries.delete(key);
    this.entries.set(id, { value, acceptance, at: now });
  }

  /** The post remembered for `id` when the record is still of the acceptance it was sent for. */
  take(id: string, acceptanceOnRecord: string | undefined): V | undefined {
    const entry = this.entries.get(id);
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
    const entry = this.entries.get(id);
    return entry && this.now() - entry.at > KEEP_MS ? entry.value : undefined;
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
