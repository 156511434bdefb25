// The daily digest a channel can opt in to: yesterday's counts by category and outcome, and the
// oldest items still waiting for a decision. Everything it needs is kept compact as things happen,
// never recomputed from the deliveries:
// - `alerts:digest:day:<YYYY-MM-DD>` (UTC day): counts per category and outcome, once per event or
//   action (not per channel), written by group commit (dayCounts.ts), kept 8 days;
// - `alerts:digest:waiting`: the items still waiting, oldest first, capped (waitingList.ts says how
//   it changes);
// - `alerts:digest:sent:<digest event id>`: that channel's digest of that day is published, kept 8 days;
//   `alerts:digest:round:<date>`: every channel's was, in one pass (periodic.ts: days missed).
// Each opted-in channel gets the counts of the categories it subscribes to.

import type { AdaptiveCardAttachment } from '../cards/render';
import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import { renderAlertCard } from './cards';
import { CountUrgency, DayCounts } from './dayCounts';
import { CATEGORIES, CATEGORY_IDS, CategoryId } from './categories';
import { WaitingItem, categoriesOf, isWaiting, withWaiting, withoutWaiting } from './waitingList';

const DIGEST_OUTCOMES = ['announced', 'reminded', 'succeeded', 'failed', 'refused'] as const;
export type DigestOutcome = (typeof DIGEST_OUTCOMES)[number];

export interface DigestDay {
  readonly date: string;
  readonly counts: Partial<Record<CategoryId, Partial<Record<DigestOutcome, number>>>>;
  /** The keys of the counts made once only (a reminder's), so a pass that counted one and died
   * before marking it reminded does not count it again when the next pass sends it again. */
  readonly counted?: readonly string[];
}

const DAY_TTL_MS = 8 * 24 * 3_600_000;
const WAITING_KEY = 'alerts:digest:waiting';
const dayKey = (date: string) => `alerts:digest:day:${date}`;
const sentKey = (eventId: string) => `alerts:digest:sent:${eventId}`;
const roundKey = (date: string) => `alerts:digest:round:${date}`;
const SINCE_KEY = 'alerts:digest:since';

/** The UTC calendar day of a moment, YYYY-MM-DD. */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function withCount(
  day: DigestDay | null,
  date: string,
  category: CategoryId,
  outcome: DigestOutcome,
  once?: string,
): DigestDay {
  const counted = day?.counted ?? [];
  if (day && once !== undefined && counted.includes(once)) return day;
  const counts = { ...(day?.counts ?? {}) };
  const row = { ...(counts[category] ?? {}) };
  row[outcome] = (row[outcome] ?? 0) + 1;
  counts[category] = row;
  const keys = once !== undefined ? [...counted, once] : counted;
  return { date, counts, ...(keys.length > 0 ? { counted: keys } : {}) };
}

function countsText(row: Partial<Record<DigestOutcome, number>>): string {
  const parts = DIGEST_OUTCOMES.filter((o) => (row[o] ?? 0) > 0).map((o) => `${row[o]} ${o}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}

function age(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours >= 48) return `${Math.floor(hours / 24)} days`;
  if (hours >= 1) return `${hours} h`;
  return `${Math.max(1, Math.floor(ms / 60_000))} min`;
}

/** The digest one channel receives for `day`: only the categories it subscribes to. Pure. */
export function digestCard(
  categories: readonly CategoryId[],
  day: DigestDay,
  waiting: readonly WaitingItem[],
  now: number,
  /** `late`: sent after the day that followed `day` had ended (no pass ran while it was due). */
  opts: { readonly oldest?: number; readonly late?: boolean } = {},
): { attachment: AdaptiveCardAttachment; summary: string } {
  const { oldest = 5, late = false } = opts;
  const shown = CATEGORY_IDS.filter((id) => categories.includes(id));
  const rows = shown.map((id) => ({ category: CATEGORIES[id].name, counts: countsText(day.counts[id] ?? {}) }));
  const stillWaiting = waiting
    .filter((w) => categoriesOf(w).some((c) => shown.includes(c)) && isWaiting(w, now))
    .slice(0, oldest)
    .map((w) => ({ since: `waiting ${age(now - w.since)}`, title: w.title }));
  const total = shown.reduce((n, id) => n + DIGEST_OUTCOMES.reduce((m, o) => m + (day.counts[id]?.[o] ?? 0), 0), 0);
  const title = `Governance digest for ${day.date}${late ? ' (sent late)' : ''}`;
  const what = total > 0 ? 'What happened' : 'Nothing happened';
  const lateWords = late ? ' Sent late: it could not be sent on the day it was due.' : '';
  // Only the categories the channel follows are counted: a channel following none (the digest on
  // alone) is told so, never "Nothing happened" however busy the day was.
  const intro =
    shown.length === 0
      ? `This channel follows no category, so this digest has nothing to count for ${day.date} (UTC): it counts only the categories a channel follows, each also announced there as it happens. To choose them, @mention Governance Bot with "alerts".`
      : `${what} on ${day.date} (UTC) in the categories this channel follows.`;
  const attachment = renderAlertCard('alertDigest', {
    title,
    intro: `${intro}${lateWords}`,
    rows,
    // The waiting list is of the categories the channel follows: none followed, none shown.
    waitingTitle: shown.length === 0 ? '' : 'Oldest items still waiting',
    nothingWaiting:
      shown.length === 0 ? '' : 'Nothing in the categories this channel follows is waiting for a decision.',
    waiting: stillWaiting,
    footer: 'Change what this channel receives with: alerts',
  });
  // The summary is the notification's preview: for a channel following no category, a count of 0
  // would read as "nothing happened", as the intro above does not.
  const counted = shown.length === 0 ? 'this channel follows no category' : `${total} event${total === 1 ? '' : 's'}`;
  return { attachment, summary: `${title}: ${counted}` };
}

/** Writes what the digest will need, as it happens. */
export class DigestLog {
  private readonly counts: DayCounts;

  constructor(
    private readonly records: Records,
    private readonly now: () => number = Date.now,
    /** How long counts nobody waits for gather before they are written (dayCounts.ts). */
    gatherMs?: number,
  ) {
    this.counts = new DayCounts(records, {
      keyOf: dayKey,
      apply: (day, date, counts) =>
        counts.reduce<DigestDay | null>((d, [c, o, once]) => withCount(d, date, c, o, once), day) ?? {
          date,
          counts: {},
        },
      ttlMs: DAY_TTL_MS,
      ...(gatherMs !== undefined ? { gatherMs } : {}),
    });
  }

  /** One event announced, reminder sent or action finished (once per event, not per channel);
   * resolves when it is stored. `soon` when the caller does not wait for it (it may gather with
   * others for a moment first). `once`: a key counted at most once in the day (withCount). */
  count(
    category: CategoryId,
    outcome: DigestOutcome,
    at: number = this.now(),
    urgency: CountUrgency = 'now',
    once?: string,
  ): Promise<void> {
    return this.counts.add(dayOf(at), category, outcome, urgency, once);
  }

  /** For a stopping instance: counts are written now, none waits for its window (dayCounts.ts). */
  drain(): void {
    this.counts.drain();
  }

  /** The item waits (announced); `restated`: its event said when it lapses (withWaiting). */
  async waiting(item: WaitingItem, restated = false): Promise<void> {
    await updateRecord<{ items: WaitingItem[] }>(
      this.records,
      WAITING_KEY,
      (cur) => {
        const items = withWaiting(cur?.items ?? [], item, { now: this.now(), restated });
        return items ? { next: { items } } : 'keep';
      },
      'none',
    );
  }

  /** The item no longer waits (decided, cancelled, expired). */
  async settled(key: string): Promise<void> {
    await updateRecord<{ items: WaitingItem[] }>(
      this.records,
      WAITING_KEY,
      (cur) => {
        const items = cur ? withoutWaiting(cur.items, key) : null;
        return items ? { next: { items } } : 'keep';
      },
      'none',
    );
  }

  /** Has the digest `eventId` (one day, one channel) been published: stored and its fan-out queued? */
  async published(eventId: string): Promise<boolean> {
    return (await this.records.get(sentKey(eventId))) !== null;
  }

  /** Marks it published; written only after the publish succeeded (periodic.ts). */
  async markPublished(eventId: string): Promise<void> {
    await this.records.put(sentKey(eventId), true, { ttlMs: DAY_TTL_MS });
  }

  /** Every opted-in channel's digest of `date` was published. */
  async markRound(date: string): Promise<void> {
    await this.records.put(roundKey(date), true, { ttlMs: DAY_TTL_MS });
  }

  async roundDone(date: string): Promise<boolean> {
    return (await this.records.get(roundKey(date))) !== null;
  }

  /** When a pass first looked for digests to send (kept for good): one due before was not missed. */
  async lookingSince(now: number): Promise<number> {
    if ((await this.records.create(SINCE_KEY, now, 'none')) !== null) return now;
    return (await this.records.get<number>(SINCE_KEY))?.value ?? now;
  }

  async read(date: string): Promise<{ day: DigestDay; waiting: WaitingItem[] }> {
    const [day, waiting] = await Promise.all([
      this.records.get<DigestDay>(dayKey(date)),
      this.records.get<{ items: WaitingItem[] }>(WAITING_KEY),
    ]);
    return { day: day?.value ?? { date, counts: {} }, waiting: waiting?.value.items ?? [] };
  }
}
