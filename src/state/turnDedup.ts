// Teams redelivers an activity it did not see answered in time. Each message turn is recorded
// by its conversation and activity id for a few minutes, in the state every instance shares, so a
// redelivered message runs its command once whichever instance it reaches.
//
// A turn cut short at shutdown must not keep its mark when it never sent anything: the redelivery
// would then be dropped everywhere and the command lost. Each turn under way is remembered here
// with its mark's version. A turn that may give its mark back (a typed command before its Graph
// write: TurnMark.mayGiveBack) and has not yet started the write is given up by giveUp(): it can no
// longer start one (TurnMark.keep answers false) and its mark is deleted at the version it wrote,
// so a redelivery runs on another instance. A turn that started its write (or may have) keeps it.
// A mark the store refuses to delete and still shows is kept, and its turn runs on: every
// redelivery of it would be dropped. It is kept by writing it over at the version seen, so that a
// delete reported failed but still on its way (cut at its deadline) finds another version and
// deletes nothing: else it would land later, and the redelivery run the command a second time.

import { randomUUID } from 'node:crypto';
import { Records } from './port';

/** One message turn under way and its duplicate mark. */
export class TurnMark {
  private releasable = false;
  private kept = false;
  private givenUp = false;
  private keptBy: string | undefined;

  constructor(
    readonly key: string,
    private written: string,
  ) {}

  /** The version of the mark as this turn last wrote it. */
  get version(): string {
    return this.written;
  }

  /** From now until keep(), nothing this turn did needs its mark kept: at shutdown it may be given
   * up and its mark deleted. Turns that never say so keep their mark whatever happens. */
  mayGiveBack(): void {
    if (!this.kept) this.releasable = true;
  }

  /** Called synchronously just before work that must not run twice (a Graph write, a command
   * kept for after sign-in): false when the turn was given up (that work must not start); else
   * the turn keeps its mark from now on. */
  keep(): boolean {
    if (this.givenUp) return false;
    this.kept = true;
    return true;
  }

  /** Marks the turn given up when it may be; true when it was. */
  giveUp(): boolean {
    if (this.kept || !this.releasable) return false;
    this.givenUp = true;
    return true;
  }

  /** A name for the mark this turn writes over when it is kept after a refused delete. */
  keeping(): string {
    this.keptBy ??= randomUUID();
    return this.keptBy;
  }

  /** Whether `keptBy`, read off the stored mark, names this turn's own write over it. */
  wroteOver(keptBy: unknown): boolean {
    return this.keptBy !== undefined && keptBy === this.keptBy;
  }

  /** Undoes giveUp() for a turn whose mark the store would not delete and still holds, written
   * over at `version`: its redelivery is dropped as a duplicate, so the turn runs on (a turn that
   * already heard keep() answer false stays on its given-up path). */
  resume(version: string): void {
    this.written = version;
    this.givenUp = false;
  }
}

export class TurnDedup {
  private readonly underWay = new Set<TurnMark>();

  constructor(
    private readonly records: Records,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  /** True the first time this activity is seen; false for a redelivery. `ttlMs`: how long the mark
   * is kept when not the redeliveries' few minutes (a mark of the bot's own, not an activity's). */
  async firstTime(conversationId: string, activityId: string, ttlMs = this.ttlMs): Promise<boolean> {
    return (await this.mark(conversationId, activityId, ttlMs)) !== null;
  }

  /** The turn's mark the first time this activity is seen, null for a redelivery. Once the turn
   * ends, end(mark). */
  async begin(conversationId: string, activityId: string): Promise<TurnMark | null> {
    const mark = await this.mark(conversationId, activityId, this.ttlMs);
    if (mark) this.underWay.add(mark);
    return mark;
  }

  end(mark: TurnMark): void {
    this.underWay.delete(mark);
  }

  private async mark(conversationId: string, activityId: string, ttlMs: number): Promise<TurnMark | null> {
    const key = keyOf(conversationId, activityId);
    // Not waited on to the disk: a marker lost to a power cut lets a redelivery after the restart run
    // once more, which Graph then answers from the item's state (already cancelled, already decided);
    // a lost process keeps it (WAL). An fsync here would cost every command turn about 5 ms.
    const expiry = { ttlMs, syncToDisk: false } as const;
    const version = await this.records.create(key, { at: Date.now() }, expiry);
    return version === null ? null : new TurnMark(key, version);
  }

  /** At shutdown, once the turns had their time: gives up every turn under way that has not reached
   * its write and deletes its mark (only at the version it wrote). How many marks were deleted. */
  async giveUp(): Promise<number> {
    const given = [...this.underWay].filter((m) => m.giveUp());
    const settled = await Promise.allSettled(given.map((m) => this.giveBack(m)));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.filter((s) => s.status === 'fulfilled' && s.value).length;
  }

  /** Deletes a given-up turn's mark at its version. When the store refuses and the mark is then
   * seen to stand, the turn is resumed: every redelivery would be dropped as a duplicate, and the
   * turn, given up, would leave the message unanswered (a press's decision never sent). A mark the
   * store cannot show either stays given up: the delete may have been done. */
  private async giveBack(mark: TurnMark): Promise<boolean> {
    try {
      return await this.records.delete(mark.key, mark.version);
    } catch (e) {
      const now = await this.records.get(mark.key).catch(() => undefined);
      if (now?.version === mark.version) await this.keepSeen(mark, now.value);
      throw e;
    }
  }

  /** Resumes a turn whose mark was seen to stand, once the mark is written over (as it was read,
   * its expiry kept) at the version the refused delete names: a delete that failed at its deadline
   * may still land (an Azure request already sent), and would then take the mark, so Teams'
   * redelivery ran the command a second time on another instance while this turn runs on. Written
   * over, the mark has a version that delete does not name. When the late delete landed first, the
   * turn stays given up and the redelivery runs the command. The mark written over names this turn
   * (`keptBy`): a write reported failed may have landed, and is then found by that name, so the turn
   * runs on rather than taking its own mark for a redelivery's and saying nothing while the
   * redelivery is dropped. A write neither made nor found leaves the turn given up: at worst it
   * says nothing was sent, never runs twice. */
  private async keepSeen(mark: TurnMark, value: unknown): Promise<void> {
    const keptBy = mark.keeping();
    const written = { ...(typeof value === 'object' && value !== null ? value : {}), keptBy };
    let kept = await this.records.replace(mark.key, written, mark.version, 'keep').catch(() => undefined);
    if (kept === undefined) {
      const now = await this.records.get<{ keptBy?: unknown }>(mark.key).catch(() => null);
      kept = now?.value.keptBy === keptBy ? now.version : null;
    }
    if (kept !== null) mark.resume(kept);
  }

  /** Whether the activity of `mark`, given up, was marked again since: its redelivery runs, on
   * this instance or another, and answers. The mark this turn wrote over (keepSeen) is its own. */
  async markedAgain(mark: TurnMark): Promise<boolean> {
    const now = await this.records.get<{ keptBy?: unknown }>(mark.key);
    return now !== null && now.version !== mark.version && !mark.wroteOver(now.value.keptBy);
  }

  /** Drops a mark, so the next firstTime for it is true again. */
  async forget(conversationId: string, activityId: string): Promise<void> {
    await this.records.delete(keyOf(conversationId, activityId));
  }
}

function keyOf(conversationId: string, activityId: string): string {
  return `turn:${conversationId}:${activityId}`.slice(0, 512);
}
