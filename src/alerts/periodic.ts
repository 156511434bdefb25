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
import { DigestLog, dayOf, digestCard } from './digest';
import { isWaiting } from './waitingList';
import { eachApart } from './eachApart';
import { StateUnavailableError } from '../state/port';
import { ROW_OPERATION, WORK_KINDS } from '../domain/myWork';
import {
  APPROVAL_KINDS,
  ApprovalKind,
  PendingApproval,
  REMINDER_LEAD_MS,
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
/** How many days back a digest missed is still sent, late (the day's counts are kept 8 days). */
export const LATE_DAYS = 6;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

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

/** The moment the digest counts a reminder on: when it became due, so a pass that sends it again
 * after midnight (it died before its mark) finds it counted under its key on the same day; always
 * before that day's digest goes out, as a reminder is due at most 4 hours before its approval
 * lapses. A reminder due on a day whose digest may have gone out already (a lapse learnt late)
 * counts now, in the next digest rather than in none. */
function reminderCountedAt(dueAt: number, now: number): number {
  const digestDue = new Date(dayOf(dueAt) + 'T00:00:00Z').getTime() + DAY_MS + DIGEST_HOUR_UTC * HOUR_MS;
  return now < digestDue ? Math.min(dueAt, now) : now;
}

export class PeriodicAlerts {
  private readonly now: () => number;
  /** Days whose digest round a pass finished (on any instance): never looked up again. */
  private readonly roundsDone = new Set<string>();
  /** When passes first looked for digests (DigestLog.lookingSince), once known. */
  private lookingSince: number | null = null;

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
        // Counted once under its key, on the day it became due: a pass that dies before the mark
        // below sends it again (same event id, harmless) but does not count it twice.
        const at = reminderCountedAt(d.expiresAt - REMINDER_LEAD_MS, now);
        await this.opts.digest.count('approvals', 'reminded', at, 'now', `reminded:${reminderKey(d.approval)}`);
        await this.opts.reminders.markReminded(reminderKey(d.approval));
      },
      stop,
    );
  }

  /** Yesterday's digest to each opted-in channel, once the digest hour has passed; first, marked as
   * late, the digests of the days whose round no pass finished while they were due (the bot down
   * from 07:00 to midnight UTC, a channel failing all that time), up to LATE_DAYS back. */
  async sendDigests(stop?: AbortSignal): Promise<number> {
    const now = this.now();
    const today = new Date(dayOf(now) + 'T00:00:00Z').getTime();
    const rounds: Array<[string, boolean]> = (await this.missedDays(today)).map((date) => [date, true]);
    if (now >= today + DIGEST_HOUR_UTC * HOUR_MS) rounds.push([dayOf(today - 1), false]);
    let sent = 0;
    // Each day apart: one whose round fails holds up none of the others.
    await eachApart(rounds, async ([date, late]) => (sent += await this.digestsOf(date, late, now, stop)), stop);
    return sent;
  }

  /** The days before yesterday whose digest was due while passes were looking for digests, and
   * whose round no pass finished. */
  private async missedDays(today: number): Promise<string[]> {
    const since = (this.lookingSince ??= await this.opts.digest.lookingSince(this.now()));
    const missed: string[] = [];
    for (let back = LATE_DAYS + 1; back >= 2; back--) {
      const start = today - back * DAY_MS;
      const date = dayOf(start);
      if (start + DAY_MS + DIGEST_HOUR_UTC * HOUR_MS < since || this.roundsDone.has(date)) continue;
      if (await this.opts.digest.roundDone(date)) this.roundsDone.add(date);
      else missed.push(date);
    }
    return missed;
  }

  /** The digest of `date` to each opted-in channel that has not had it; the round is noted once
   * every channel has. */
  private async digestsOf(date: string, late: boolean, now: number, stop?: AbortSignal): Promise<number> {
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
        const { attachment, summary } = digestCard(categories, day, waiting, now, { late });
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
    if (!this.roundsDone.has(date)) await this.opts.digest.markRound(date);
    this.roundsDone.add(date);
    return sent;
  }
}
