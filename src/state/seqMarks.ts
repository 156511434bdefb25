/** Per key, the highest capture sequence number noted, for the write-behind queue's "is this
 * capture older than ...?" checks. Bounded, least recently noted first out: a mark is needed only
 * while a capture older than it may still be about to be written, which is within one flush, far
 * fewer keys than the bound apart. */
export class SeqMarks {
  private readonly marks = new Map<string, number>();

  constructor(private readonly kept = 10_000) {}

  /** Notes `seq` for `key` unless a higher one is noted. The same seq noted again (a key dropped
   * twice with no capture between) makes the key the most recently noted, last out. */
  raise(key: string, seq: number): void {
    if ((this.marks.get(key) ?? 0) > seq) return;
    this.marks.delete(key);
    this.marks.set(key, seq);
    if (this.marks.size > this.kept) this.marks.delete(this.marks.keys().next().value as string);
  }

  /** The highest seq noted for `key` (0 when none). */
  of(key: string): number {
    return this.marks.get(key) ?? 0;
  }
}
