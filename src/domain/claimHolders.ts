// Watching another click's claim: is its holder's process gone (so the claim may be taken over at
// once), and waiting, within a click's deadline, while a live holder acts.

import { ClaimPort, ClaimView, LivenessPort } from './cardActionPorts';
import { Clock } from './clock';

const POLL_MS = 150;

/** How long after its last renewal a silent holder's claim is still taken for held, as a share of
 * the lease: renewals come every third of it, so half of it is one and a half renewals. */
const SILENT_GRACE = 0.5;

export class ClaimHolders<F> {
  constructor(
    private readonly claims: ClaimPort<F>,
    private readonly liveness: LivenessPort,
    private readonly clock: Clock,
  ) {}

  /** The instance holding an in-progress claim, when that process is gone; false otherwise. A
   * silent holder (no heartbeat) is taken for gone unless it renewed the claim lately: a holder
   * whose heartbeat writes fail while its renewals succeed is still writing to Graph, and taking
   * its claim over would let a second click write too. A crashed one stops renewing, so its claim
   * is taken over within SILENT_GRACE of its last renewal, still well before its lease ends. */
  async orphaned(record: ClaimView): Promise<string | false> {
    const now = this.clock.now();
    if (record.state !== 'inProgress' || record.leaseUntil <= now) return false;
    const liveness = await this.liveness.liveness(record.instance);
    if (liveness === 'alive') return false;
    if (liveness === 'gone') return record.instance;
    const renewedAt = record.leaseUntil - this.claims.leaseMs;
    return now - renewedAt > this.claims.leaseMs * SILENT_GRACE ? record.instance : false;
  }

  /** The take's test of the record it finds (read again, and again after a write conflict): the
   * claim judged orphaned, not renewed since. A renewal that landed after the judged record was
   * read shows its holder at work (a silent holder judged by a late renewal's stale record), so
   * the take must not act on the old verdict; the wait after it judges the record anew. */
  static stillOrphaned(judged: ClaimView | null, orphan: string | false): (r: ClaimView) => boolean {
    return (r) => orphan !== false && r.instance === orphan && r.leaseUntil === judged?.leaseUntil;
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
