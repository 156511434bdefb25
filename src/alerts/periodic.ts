// The periodic pass, run by whichever instance holds the outbox's tick row (one at a time):
// - reminders: every request on the digest's waiting list that is an approval about to lapse
//   (within 4 hours of its expiry) is announced once in the channels subscribed to "approvals";
// - the daily digest: after DIGEST_HOUR_UTC each day, every opted-in channel gets yesterday's digest;
// - healing: index entries a subscribed channel lost are put back (subscriptionHealing.ts).
// Both go out through the alert fan-out under stable event ids, and each is marked done only after
// its fan-out was queued, so running the pass twice (two instances, or a failure or crash between
// the publish and the mark) repeats nothing and loses nothing.

import { AlertStore } from './alertStore';
import { CATEGORY_IDS } from './categories';
import { DigestLog, dayOf, digestCard, isWaiting } from './digest';
import { eachApart } from './eachApart';
import { StateUnavailableError } from '../state/port';
import { ROW_OPERATION, WORK_KINDS } from '../domain/myWork';
import {
  APPROVAL_KINDS,
  ApprovalKind,
  PendingApproval,
  ReminderLedger,
  dueReminders,
  reminderCards,
  reminderEventId,
  reminderKey,
} from './reminders';
import { AlertSubscriptions } from './subscriptions';

/** The digest of a day is sent after this hour (UTC) of the next day. */
export const DIGEST_HOUR_UTC = 7;
export const PERIODIC_EVERY_MS = 5 * 60_000;

/** The kind of request each waiting-list entry names, by the operation that cancels it (the
 * waiting list keys approvals by their request too: waitingKey.ts). */
const KIND_OF_OPERATION: ReadonlyMap<string, ApprovalKind> = new Map(
  WORK_KINDS.map((kind) => [ROW_OPERATION.requests[kind], APPROVAL_KINDS[kind]]),
);

export interface PeriodicOptions {
  readonly alerts: AlertStore;
  readonly digest: DigestLog;
  readonly reminders: ReminderLedger;
  readonly subscriptions: AlertSubscriptions;
  /** Puts back index entries subscribed channels lost (SubscriptionHealing.pass). */
  readonly heal?: (stop?: AbortSignal) => Promise<number>;
  readonly now?: () => number;
}

export class PeriodicAlerts {
  private readonly now: () => number;

  constructor(private readonly opts: PeriodicOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Healing, reminders, then digests. `stop` (the pass's row lost, or shutdown) ends the pass
   * before its next write: another instance may be running it by then, and would count a reminder
   * twice. Healing goes first, so a channel it puts back hears this pass's reminders and digest; a
   * healing that fails holds up neither, and is reported once they are done. */
  async run(stop?: AbortSignal): Promise<{ reminded: number; digests: number; healed: number }> {
    const failures: unknown[] = [];
    // A part that fails holds up neither of the others (a reminder that fails used to keep every
    // channel's digest from going out until it lapsed); the first failure is reported at the end.
    // A store that cannot be reached ends the pass, as it does inside each part (eachApart.ts).
    const part = (work: () => Promise<number>): Promise<number> =>
      work().catch((error: unknown) => {
        if (stop?.aborted || error instanceof StateUnavailableError) throw error;
        failures.push(error);
        return 0;
      });
    const healed = await part(async () => (await this.opts.heal?.(stop)) ?? 0);
    const reminded = await part(() => this.remind(stop));
    const digests = await part(() => this.sendDigests(stop));
    if (failures.length > 0) throw failures[0];
    return { reminded, digests, healed };
  }

  /** Approvals on the waiting list that lapse within 4 hours, each announced once. */
  async remind(stop?: AbortSignal): Promise<number> {
    const now = this.now();
    const { waiting } = await this.opts.digest.read(dayOf(now));
    const pending: PendingApproval[] = [];
    // The list lets go of what no longer waits only when it is next written: asked here too.
    for (const w of waiting.filter((i) => isWaiting(i, now))) {
      const [operation, requestId] = w.key.split(':');
      const kind = KIND_OF_OPERATION.get(operation ?? '');
      if (!kind || !requestId) continue;
      pending.push({ kind, requestId, createdAt: w.since, expiresAt: w.expiresAt ?? null, title: w.title });
    }
    const already = await this.opts.reminders.reminded(pending.map(reminderKey));
    const due = dueReminders(pending, now, already);
    // Each apart (eachApart.ts): one that fails is tried again next period, until it lapses.
    return eachApart(
      due,
      async (d) => {
        // With the card of the approval's moment: a channel posted after it is told it ended.
        const { card, ended } = reminderCards(d, now);
        // Fan-out first, then the mark: a crash between them fans the same event id out again, harmlessly.
        await this.opts.alerts.publish({ eventId: reminderEventId(d.approval), category: 'approvals', card, ended });
        // Counted once under its key: a pass that dies before the mark below sends it again (same
        // event id, harmless) but does not count it twice.
        await this.opts.digest.count('approvals', 'reminded', now, 'now', `reminded:${reminderKey(d.approval)}`);
        await this.opts.reminders.markReminded(reminderKey(d.approval));
      },
      stop,
    );
  }

  /** Yesterday's digest to each opted-in channel, once the digest hour has passed. */
  async sendDigests(stop?: AbortSignal): Promise<number> {
    const now = this.now();
    const today = new Date(dayOf(now) + 'T00:00:00Z').getTime();
    if (now < today + DIGEST_HOUR_UTC * 3_600_000) return 0;
    const date = dayOf(today - 1);
    const channels = await this.opts.subscriptions.digestChannels();
    const { day, waiting } = await this.opts.digest.read(date);
    let sent = 0;
    // Each channel apart (eachApart.ts): one whose digest fails is tried again next period.
    await eachApart(
      channels,
      async (channel) => {
        const eventId = `digest:${date}:${channel.channelId}`.slice(0, 200);
        if (await this.opts.digest.published(eventId)) return;
        const subs = await this.opts.subscriptions.get(channel.channelId);
        const categories = CATEGORY_IDS.filter((c) => subs?.categories.includes(c));
        const { attachment, summary } = digestCard(categories, day, waiting, now);
        // Published, then marked: the alert record alone does not say its fan-out was queued (that
        // may fail, or the process die, in between). Publishing again keeps the first card and queues
        // the fan-out, which repeats no delivery.
        await this.opts.alerts.publish({
          eventId,
          category: 'digest',
          card: { attachment, summary },
          channels: [channel],
        });
        await this.opts.digest.markPublished(eventId);
        sent++;
      },
      stop,
    );
    return sent;
  }
}
