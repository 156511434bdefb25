// Teams redelivers an activity it did not see answered in time. Each message turn is recorded
// by its conversation and activity id for a few minutes, in the state every instance shares, so a
// redelivered message runs its command once whichever instance it reaches.

import { Records } from './port';

export class TurnDedup {
  constructor(
    private readonly records: Records,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  /** True the first time this activity is seen; false for a redelivery. */
  async firstTime(conversationId: string, activityId: string): Promise<boolean> {
    const key = `turn:${conversationId}:${activityId}`.slice(0, 512);
    return (await this.records.create(key, { at: Date.now() }, { ttlMs: this.ttlMs })) !== null;
  }
}
