// Watching another click's claim: is its holder's process gone (so the claim may be taken over at
// once), and waiting, within a click's deadline, while a live holder acts.

import { ClaimPort, ClaimView, LivenessPort } from './cardActionPorts';
import { Clock } from './clock';

const POLL_MS = 150;

export class ClaimHolders<F> {
  constructor(
    private readonly claims: ClaimPort<F>,
    private readonly liveness: LivenessPort,
    private readonly clock: Clock,
  ) {}

  /** The instance holding an in-progress claim, when that process is gone; false otherwise. */
  async orphaned(record: ClaimView): Promise<string | false> {
    if (record.state !== 'inProgress' || record.leaseUntil <= this.clock.now()) return false;
    return (await this.liveness.isAlive(record.instance)) ? false : record.instance;
  }

  /** Waits (within the deadline) while a live holder acts; the last record seen, null when the
   * claim is free (released, lapsed, or its holder gone). */
  async waitFor(key: string, deadlineAt: number): Promise<ClaimView | null> {
    let record = await this.claims.get(key);
    while (record?.state === 'inProgress' && this.clock.now() + POLL_MS < deadlineAt) {
      if (record.leaseUntil <= this.clock.now() || (await this.orphaned(record))) return null;
      await this.clock.sleep(POLL_MS);
      record = await this.claims.get(key);
    }
    return record?.state === 'released' ? null : record;
  }
}
