// Teams redelivers an activity it did not see answered in time. Each message turn is recorded
// by its conversation and activity id for a few minutes, in the state every instance shares, so a
// redelivered message runs its command once whichever instance it reaches.

import { Records } from './port';

export class TurnDedup {
  constructor(
    private readonly records: Records,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  /** True the first time this activity is seen; false for a redelivery. `ttlMs`: how long the mark
   * is kept when not the redeliveries' few minutes (a mark of the bot's own, not an activity's). */
  async firstTime(conversationId: string, activityId: string, ttlMs = this.ttlMs): Promise<boolean> {
    const key = keyOf(conversationId, activityId);
    // Not waited on to the disk: a marker lost to a power cut lets a redelivery after the restart run
    // once more, which Graph then answers from the item's state (already cancelled, already decided);
    // a lost process keeps it (WAL). An fsync here would cost every command turn about 5 ms.
    const expiry = { ttlMs, syncToDisk: false } as const;
    return (await this.records.create(key, { at: Date.now() }, expiry)) !== null;
  }

  /** Drops a mark, so the next firstTime for it is true again. */
  async forget(conversationId: string, activityId: string): Promise<void> {
    await this.records.delete(keyOf(conversationId, activityId));
  }
}

function keyOf(conversationId: string, activityId: string): string {
  return `turn:${conversationId}:${activityId}`.slice(0, 512);
}
