// Posts Teams accepted whose outcome could not be written, remembered in this process so the row's
// next pass writes the outcome instead of posting again (worker.ts, fanoutWorker.ts). Each is
// tied to the claim it was sent under: a record that names another claim now is not this post's
// (another instance took it over, or the same id was accepted again after its retention and
// planned anew), and its remembered post is let go rather than written as the new one's.

/** An entry not taken within this is let go: the row comes back within minutes, unless another
 * instance settled it, and then nothing here would ever remove it. */
const KEEP_MS = 24 * 3_600_000;

export class RememberedPosts<V> {
  private readonly entries = new Map<string, { readonly value: V; readonly claim: string; readonly at: number }>();

  constructor(private readonly now: () => number) {}

  remember(id: string, claim: string, value: V): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (now - entry.at > KEEP_MS) this.entries.delete(key);
    this.entries.set(id, { value, claim, at: now });
  }

  /** The post remembered for `id` when the record still names the claim it was sent under. */
  take(id: string, claimOnRecord: string | undefined): V | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.claim === claimOnRecord) return entry.value;
    this.entries.delete(id);
    return undefined;
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
