// How many times one logical Graph call has been sent (contract §4: "at most 5 attempts within
// 30 s"). The count belongs to the call, not to one trip through the client's retry step: a list
// read whose $batch item was answered 429 has made its first attempt in the batch, and a write
// re-sent after a 5xx or a timeout (once a read showed it had not taken effect) is the same write,
// so its re-send makes only the attempts its first sends left. Read that way, the 5 bounds what one
// action asks of Graph, as the 30 s (WRITE_BUDGET_MS, counted from the first send) already does;
// counted per trip, one write could go out 10 times within its 30 s.

/** Contract §4: attempts of one call, the first included. */
export const MAX_ATTEMPTS = 5;

/** Less time than this left: no attempt of a write is sent, its first send, a retry after a wait
 * (graph/throttleRetry.ts) or its re-send after a read (uncertainWrite.ts). It could not be
 * answered in time, and a write cut at the deadline would be told as "may or may not have taken
 * effect" where nothing likely reached Graph. The same floor as a list's reads (myWorkReader.ts). */
export const LEAST_ATTEMPT_MS = 1_000;

export class Attempts {
  private sentSoFar: number;
  private firstAt: number | undefined;

  /** `made`: attempts this call made before (a throttled $batch item counts as one). */
  constructor(
    made = 0,
    readonly limit: number = MAX_ATTEMPTS,
  ) {
    this.sentSoFar = made;
  }

  /** Attempts sent so far. */
  get sent(): number {
    return this.sentSoFar;
  }

  /** No attempt is left: the call is not sent again. */
  get spent(): boolean {
    return this.sentSoFar >= this.limit;
  }

  /** When the first attempt counted here went out (epoch ms, on the caller's clock); undefined
   * before one did, or when the attempts made before this count were not timed. The write's 30 s
   * count from it, not from the reads before it (a decision's read of the request). */
  get firstSentAt(): number | undefined {
    return this.firstAt;
  }

  /** One more attempt goes out, at `at` (epoch ms) when the sender tells it. */
  count(at?: number): void {
    if (this.sentSoFar === 0 && at !== undefined) this.firstAt = at;
    this.sentSoFar++;
  }
}
