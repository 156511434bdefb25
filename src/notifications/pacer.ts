// Keeps proactive sends under the Teams limits per bot per thread: 7 per second, 8 per 2 seconds
// and 60 per 30 seconds (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit),
// in this process only: the fallback of directSlots.ts when no shared send scheduler is given (the
// hour window is left to Teams' 429, which is retried). The windows are in memory and bounded: a
// conversation with no send in the last 30 s is forgotten, and at most `capacity` conversations
// are tracked at once.

const WINDOWS = [
  { spanMs: 1000, max: 7 },
  { spanMs: 2000, max: 8 },
  { spanMs: 30_000, max: 60 },
] as const;
const LONGEST_MS = 30_000;

export class ConversationPacer {
  /** conversation id -> send times (ascending) within the longest window; insertion order is age. */
  private readonly sent = new Map<string, number[]>();
  private sweptAt = 0;

  constructor(readonly capacity = 10_000) {}

  /** How many conversations are tracked now. */
  get size(): number {
    return this.sent.size;
  }

  /** Takes a send slot: 0 when the send may go now (and it is counted), otherwise how many
   * milliseconds to wait before asking again. */
  reserve(conversationId: string, now: number = Date.now()): number {
    this.sweep(now);
    const log = (this.sent.get(conversationId) ?? []).filter((t) => now - t < LONGEST_MS);
    let wait = 0;
    for (const w of WINDOWS) {
      const inWindow = log.filter((t) => now - t < w.spanMs);
      if (inWindow.length >= w.max) wait = Math.max(wait, w.spanMs - (now - inWindow[inWindow.length - w.max]!));
    }
    if (wait > 0) {
      this.sent.set(conversationId, log);
      return wait;
    }
    log.push(now);
    // Re-inserted, so the map's order stays "least recently used first" for eviction.
    this.sent.delete(conversationId);
    this.sent.set(conversationId, log);
    while (this.sent.size > this.capacity) this.sent.delete(this.sent.keys().next().value as string);
    return 0;
  }

  /** Gives back a slot `reserve` took at `at` and no send used (its claim failed or was taken). */
  release(conversationId: string, at: number): void {
    const log = this.sent.get(conversationId);
    const i = log?.lastIndexOf(at) ?? -1;
    if (log && i >= 0) log.splice(i, 1);
  }

  /** Drops conversations whose last send left every window (at most once a second). */
  private sweep(now: number): void {
    if (now - this.sweptAt < 1000) return;
    this.sweptAt = now;
    for (const [id, log] of this.sent) {
      const last = log[log.length - 1];
      if (last === undefined || now - last >= LONGEST_MS) this.sent.delete(id);
    }
  }
}
