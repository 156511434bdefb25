// The list card of "my approvals" and "my requests": one row per request with its facts and its
// buttons (Approve / Deny, or Cancel), the outcome in place of the buttons once a row is acted
// on, notes on what could not be listed, and the buttons that turn its pages (More while there is
// more, Previous and First page once past the first).

import { ListRow, renderCard } from '../cards/render';
import { adminCenterOnly } from '../cards/wording';
import { createdElsewhere } from '../cards/createdElsewhere';
import {
  KIND_NAMES,
  ListName,
  WorkItem,
  WorkKind,
  approvalEnds,
  createdByOther,
  durationWords,
  targetOf,
} from '../domain/myWork';
import { CATALOG, graphCannotDecide } from '../domain/operations';
import type { ListSnapshot, RowOutcome } from '../state/listCards';
import { clipped, clippedMiddle } from '../domain/clippedText';
import { emptyHeader, emptyPagesLine } from './listParts';
import { buttonsActFor } from './listWords';
import { rowButtons } from './listButtons';
import type { Reply } from './replies';

export const LIST_VERB = 'governance.list';
export const PAGE_SIZE = 10;

/** A page button's data: the list and, on cards posted since buttons name it, the first row of
 * the page it leads to (a card's copies can lag behind its last page turn: the page a button
 * shows is the one its holder saw it lead to). Cards posted before that have only More, whose
 * page is the one after the page kept. */
export interface ListPageData {
  readonly verb: typeof LIST_VERB;
  readonly list: ListName;
  readonly offset?: number;
}

/** Further than any list goes (PIM's approver lists stop at 50 a kind; the rest are read 25 at a
 * time): an offset past it is not a page of this bot's. */
const MAX_OFFSET = 10_000;

/** The data of a page button, or null when it is not one this bot could have made. */
export function parseListData(data: unknown): ListPageData | null {
  const d = (data ?? {}) as Record<string, unknown>;
  if (d.verb !== LIST_VERB || (d.list !== 'approvals' && d.list !== 'requests')) return null;
  const offset = d.offset;
  if (offset === undefined) return { verb: LIST_VERB, list: d.list };
  const valid =
    typeof offset === 'number' &&
    Number.isInteger(offset) &&
    offset >= 0 &&
    offset <= MAX_OFFSET &&
    offset % PAGE_SIZE === 0;
  return valid ? { verb: LIST_VERB, list: d.list, offset } : null;
}

/**
 * The buttons that turn a card's pages. More goes on; Previous goes back one page, to the rows
 * just passed; First page, from the third page on, goes back to the newest rows (where Previous
 * would take more than one press). The way back shows rows already read: no Graph read, and no
 * sign-in needed.
 */
function pageButtons(
  s: ListSnapshot<WorkItem>,
  hasMore: boolean,
): Array<{ title: string; data: Record<string, unknown> }> {
  const to = (title: string, offset: number) => ({ title, data: { verb: LIST_VERB, list: s.list, offset } });
  return [
    ...(s.offset >= 2 * PAGE_SIZE ? [to('First page', 0)] : []),
    ...(s.offset > 0 ? [to('Previous', Math.max(0, s.offset - PAGE_SIZE))] : []),
    ...(hasMore ? [to('More', s.offset + PAGE_SIZE)] : []),
  ];
}

const TITLES: Readonly<Record<ListName, string>> = {
  approvals: 'Waiting for your approval',
  requests: 'Your pending requests',
};

/** The rows on screen, for binding the card to exactly what it shows. */
export function pageOf(s: ListSnapshot<WorkItem>): readonly WorkItem[] {
  return s.items.slice(s.offset, s.offset + PAGE_SIZE);
}

/** A transient notice for one row, shown only to the clicker (a failure, someone else acting). */
export interface RowNotice {
  readonly requestId: string;
  readonly text: string;
  /** Yellow for a decision not applied because the item was decided or ended already; red else. */
  readonly style?: 'attention' | 'warning';
}

/**
 * What a list card may weigh, in UTF-8 bytes of its attachment and summary. Teams refuses a larger
 * message with 413 MessageSizeTooBig; about 28 KB is the figure widely reported for a card, and
 * the activity around the card (ids, addresses) needs some of it.
 * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages
 */
export const LIST_CARD_BYTES = 27 * 1024;
/** How far text from Graph (names, justifications, outcomes) is shortened, step by step, until a
 * full page fits; most pages fit whole. */
const CLIPS = [Infinity, 160, 80, 40, 20, 10, 4] as const;

/** The card of list `s` at `now`; `notice` is one row's, `lead` a line for the whole card above its
 * rows (both shown only to a clicker, in the invoke's answer). */
export function listCard(s: ListSnapshot<WorkItem>, now: number, notice?: RowNotice, lead?: string): Reply {
  let reply: Reply | null = null;
  for (const clip of CLIPS) {
    reply = listCardClipped(s, now, { notice, lead }, clip);
    const bytes = Buffer.byteLength(JSON.stringify([reply.attachment, reply.summary]), 'utf8');
    if (bytes <= LIST_CARD_BYTES) return reply;
  }
  return reply as Reply;
}

function listCardClipped(
  s: ListSnapshot<WorkItem>,
  now: number,
  { notice, lead }: { notice: RowNotice | undefined; lead: string | undefined },
  clip: number,
): Reply {
  const page = pageOf(s);
  const rows = page.map((item) => rowOf(s, item, now, notice, clip));
  const hasMore = s.offset + PAGE_SIZE < s.items.length || Object.keys(s.next).length > 0;
  const shown = page.length === 0 ? 0 : `${s.offset + 1}-${s.offset + page.length}`;
  // More may wait than were read: Graph has a next page, or an approver filter answered at its cap
  // of 50 with none (capNote): the count says "at least", never all there are.
  const atLeast = Object.keys(s.next).length > 0 || s.capped.length > 0;
  const total = `${s.items.length}${atLeast ? '+' : ''}`;
  // "Nothing waits" only when every source was read; a source that failed is said in the notes.
  const more = Object.keys(s.next).length > 0;
  const empty = emptyHeader(s.list, s.problems, s.parts, more, s.emptyPages);
  // The last read followed Graph's empty pages to its bound or deadline: said, not shown silently.
  const gaveNone = more && s.emptyPages ? ` ${emptyPagesLine(s.emptyPages, true)}` : '';
  const counted =
    s.items.length === 0 ? empty : `Newest first: ${shown} of ${total}.${gaveNone} ${buttonsActFor(s.userName)}`;
  const subtitle = lead ? `${lead} ${counted}` : counted;
  const notes = [...s.problems, ...s.capped.map((k) => capNote(k as WorkKind))].map((text) => ({ text }));
  const title = TITLES[s.list];
  return {
    attachment: renderCard('list', {
      title,
      subtitle,
      rows,
      notes,
      pages: pageButtons(s, hasMore),
    }),
    summary: `${title}: ${summaryCount(s.items.length, atLeast)}`,
  };
}

/** The rows read, as the feed's summary counts them: "3+ items" while Graph has more to list (or
 * may have: a capped approver filter), as the card's "1-3 of 3+" says, never a count that reads as
 * all there are. */
function summaryCount(read: number, more: boolean): string {
  if (read === 0) return more ? 'none so far' : 'none';
  return more ? `${read}+ items` : `${read} item${read === 1 ? '' : 's'}`;
}

/** The approver filter's documented cap, in words (anchors-and-user-needs §2.2). */
function capNote(kind: WorkKind): string {
  return `${KIND_NAMES[kind]} approvals: Microsoft Graph lists at most 50 at a time and offers no next page. Decide some, then send "my approvals" again to see the rest.`;
}

function rowOf(
  s: ListSnapshot<WorkItem>,
  item: WorkItem,
  now: number,
  notice: RowNotice | undefined,
  limit: number,
): ListRow {
  const list = s.list;
  const outcome: RowOutcome | undefined = s.outcomes[item.requestId];
  const cut = (text: string): string => clipped(text, limit);
  const target = targetOf(list, item);
  const ends = approvalEnds(item.expiresAt, now);
  const facts = [
    ...(item.requester && list === 'approvals' ? [{ title: 'Requested by', value: cut(item.requester) }] : []),
    ...(item.justification ? [{ title: 'Justification', value: cut(item.justification) }] : []),
    ...(item.duration ? [{ title: 'Duration', value: durationShown(item.duration, cut) }] : []),
    ...(ends ? [{ title: 'Approval time ends', value: ends }] : []),
    ...(item.createdAt ? [{ title: 'Requested', value: `${item.createdAt.slice(0, 16).replace('T', ' ')} UTC` }] : []),
    { title: 'requestId', value: item.requestId },
  ];
  const mine = notice && notice.requestId === item.requestId ? notice.text : '';
  const mineStyle = (mine && notice?.style) || 'attention';
  const settled = outcome !== undefined;
  // A request Graph cannot decide (a PIM extension or renewal) has no buttons: the row says
  // where to decide it instead.
  const elsewhere = !settled && item.action && graphCannotDecide(target.operation, item.action) ? item.action : null;
  const decideAt = elsewhere ? adminCenterOnly(CATALOG[target.operation], elsewhere) : null;
  // A PIM request someone else created for the list's owner: their Cancel could only be refused.
  const cancelAt =
    !settled && createdByOther(list, item, s.userId) ? createdElsewhere(CATALOG[target.operation], item) : null;
  const where = decideAt ? `${decideAt.what} ${decideAt.next}` : cancelAt;
  return {
    heading: `${KIND_NAMES[item.kind]} · ${cut(item.what ?? 'request')}`,
    facts,
    // A row's outcome names who decided (a name from Graph) in its middle: shortened last, there,
    // and never below 160. The clicker's own notice is the bot's wording on one row and ends with
    // what to do (the permission and role a refusal needs, contract §6), so it is never cut.
    notice: outcome ? clippedMiddle(outcome.text, Math.max(limit, 160)) : mine || (where ?? ''),
    noticeColor: outcome ? (outcome.style === 'good' ? 'good' : 'warning') : mine || !where ? mineStyle : 'accent',
    hasActions: !settled && !where,
    // Every button says which list it came from, so the click updates this card in place.
    actions: settled || where ? [] : rowButtons(target, list),
  };
}

/** A duration in words ("1 day 2 hours", never cut: it is short and exact), or Graph's value as it
 * came when it is not a simple duration, cut like any other text from Graph so it cannot overfill
 * the card. */
function durationShown(duration: string, cut: (text: string) => string): string {
  const words = durationWords(duration) ?? duration;
  return words === duration ? cut(duration) : words;
}
