// The daily digest a channel can opt in to: yesterday's counts by category and outcome, and the
// oldest items still waiting for a decision. Everything it needs is kept compact as things happen,
// never recomputed from the deliveries:
// - `alerts:digest:day:<YYYY-MM-DD>` (UTC day): counts per category and outcome, once per event or
//   action (not per channel), written by group commit (dayCounts.ts), kept 8 days;
// - `alerts:digest:waiting`: the items still waiting, oldest first, at most WAITING_CAP. It is also
//   where reminders find the approvals about to lapse, so when it is full an item with a known
//   expiry takes the place of the oldest item of unknown lapse (kept up to 30 days, see
//   WAITING_MAX_AGE_MS), and an item of unknown lapse never takes the place of one with a known
//   expiry; otherwise the newest are not kept (the digest shows the oldest);
// - `alerts:digest:sent:<digest event id>`: that channel's digest of that day is published, kept 8 days;
//   `alerts:digest:round:<date>`: every channel's was, in one pass (periodic.ts: days missed).
// Each opted-in channel gets the counts of the categories it subscribes to.

import type { AdaptiveCardAttachment } from '../cards/render';
import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import { renderAlertCard } from './cards';
import { CountUrgency, DayCounts } from './dayCounts';
import { CATEGORIES, CATEGORY_IDS, CategoryId } from './categories';

const DIGEST_OUTCOMES = ['announced', 'reminded', 'succeeded', 'failed', 'refused'] as const;
export type DigestOutcome = (typeof DIGEST_OUTCOMES)[number];

export interface DigestDay {
  readonly date: string;
  readonly counts: Partial<Record<CategoryId, Partial<Record<DigestOutcome, number>>>>;
  /** The keys of the counts made once only (a reminder's), so a pass that counted one and died
   * before marking it reminded does not count it again when the next pass sends it again. */
  readonly counted?: readonly string[];
}

export interface WaitingItem {
  /** Identifies the item across events and actions, e.g. `cancelRoleRequest:<requestId>`. */
  readonly key: string;
  /** The category of the first event that announced it. */
  readonly category: CategoryId;
  /** Every category an event announced it in (a request to "roleRequests", then its approval to
   * "approvals"), `category` first; absent while there is only that one, and on items stored
   * before it was kept (categoriesOf reads both). At most one of each category, so bounded. */
  readonly categories?: readonly CategoryId[];
  readonly title: string;
  /** Since when it waits (epoch ms). */
  readonly since: number;
  /** When it stops waiting by itself (expiry), if known. */
  readonly expiresAt?: number;
}

export const WAITING_CAP = 200;
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

/** An item whose lapse is not known is let go this long after it was announced, so a request
 * decided outside the bot (which the bot cannot see) does not hold a place on the list forever;
 * the digest shows it as waiting until then. */
const WAITING_MAX_AGE_MS = 30 * 24 * 3_600_000;

/** Still waiting at `now`: not lapsed, and, when its lapse is unknown, announced less than 30 days
 * ago. The list drops the others only when it is next written, so its readers (the digest, the
 * reminders) ask this too: on a quiet tenant the list may go unwritten for longer than that. */
export function isWaiting(item: WaitingItem, now: number): boolean {
  return item.expiresAt === undefined ? now - item.since < WAITING_MAX_AGE_MS : item.expiresAt > now;
}

/** The categories an item was announced in. */
export function categoriesOf(item: WaitingItem): readonly CategoryId[] {
  return item.categories ?? [item.category];
}

/** `known` with the categories of `item` it does not have yet; itself when it has them all. */
function withCategories(known: WaitingItem, item: WaitingItem): WaitingItem {
  const had = categoriesOf(known);
  const added = categoriesOf(item).filter((c) => !had.includes(c));
  return added.length === 0 ? known : { ...known, categories: [...had, ...added] };
}

export interface WaitingChange {
  readonly now: number;
  readonly cap?: number;
  /** The item's event stated when it lapses (an access package approval's moment), so it replaces
   * the one known; a moment the bot worked out (PIM: 24 h after the request) never does. */
  readonly restated?: boolean;
}

/** The waiting list with `item` added (or its lapse learned), oldest first, capped, without the
 * items that have lapsed; null when nothing changes. An item that has already lapsed is not added. */
export function withWaiting(
  items: readonly WaitingItem[],
  item: WaitingItem,
  { now, cap = WAITING_CAP, restated = false }: WaitingChange,
): WaitingItem[] | null {
  const live = (i: WaitingItem) => isWaiting(i, now);
  const kept = items.filter(live);
  const unchanged = kept.length === items.length ? null : kept;
  const known = kept.find((i) => i.key === item.key);
  if (known) {
    // A later event about the same request may say when its approval lapses (an access package
    // approval announced after its request): the item keeps its age and title and learns that.
    // It may also announce it in another category (the approval to "approvals" after the request
    // to "roleRequests"): the item is then waiting in that one's digest too.
    const learns =
      item.expiresAt !== undefined &&
      (known.expiresAt === undefined || (restated && item.expiresAt !== known.expiresAt));
    const widened = withCategories(known, item);
    if (!learns && widened === known) return unchanged;
    const next: WaitingItem = learns ? { ...widened, expiresAt: item.expiresAt } : widened;
    return kept.map((i) => (i === known ? next : i));
  }
  if (!live(item)) return unchanged;
  const next = capped([...kept, item], item, cap);
  // Not taken, and nothing else changed: no write.
  return next.includes(item) || next.length !== kept.length ? next : unchanged;
}

/** `items` oldest first within `cap`. What goes: items of unknown lapse first, the oldest of them
 * when `added` has a known expiry (its reminder depends on its place), the newest otherwise; only
 * when none is left, the newest items. */
function capped(items: readonly WaitingItem[], added: WaitingItem, cap: number): WaitingItem[] {
  const sorted = [...items].sort((a, b) => a.since - b.since);
  const excess = sorted.length - cap;
  if (excess <= 0) return sorted;
  const unknown = sorted.filter((i) => i.expiresAt === undefined);
  const order = added.expiresAt === undefined ? unknown.reverse() : unknown;
  const gone = new Set(order.slice(0, excess));
  return sorted.filter((i) => !gone.has(i)).slice(0, cap);
}

export function withoutWaiting(items: readonly WaitingItem[], key: string): WaitingItem[] | null {
  return items.some((i) => i.key === key) ? items.filter((i) => i.key !== key) : null;
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
  const attachment = renderAlertCard('alertDigest', {
    title,
    intro: `${what} on ${day.date} (UTC) in the categories this channel follows.${lateWords}`,
    rows,
    waitingTitle: 'Oldest items still waiting',
    nothingWaiting: 'Nothing is waiting for a decision.',
    waiting: stillWaiting,
    footer: 'Change what this channel receives with: alerts',
  });
  return { attachment, summary: `${title}: ${total} event${total === 1 ? '' : 's'}` };
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
