// The digest's waiting list (`alerts:digest:waiting`, digest.ts): the items still waiting for a
// decision, oldest first, at most WAITING_CAP. It is also where reminders find the approvals about
// to lapse, so when it is full an item with a known expiry takes the place of the oldest item of
// unknown lapse (kept up to 30 days, see WAITING_MAX_AGE_MS), and an item of unknown lapse never
// takes the place of one with a known expiry; otherwise the newest are not kept (the digest shows
// the oldest). Pure: how the list changes, apart from where it is stored.

import type { CategoryId } from './categories';

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
