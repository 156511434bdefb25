// Turning a list card's page: the rows already read when they fill it, Graph's next pages (read as
// the presser) when they do not. Whether the presser must be signed in first is asked before.

import type { SignInFlow } from '../auth/sso';
import { SignInRequiredError } from '../domain/errors';
import {
  Continuations,
  LIST_BUDGET_MS,
  ListName,
  MyWorkPort,
  WorkFetch,
  WorkItem,
  decidableBy,
  newestFirst,
} from '../domain/myWork';
import type { ListSnapshot } from '../state/listCards';
import { PendingCommand, actorFor } from './commandTurns';
import { PAGE_SIZE } from './listCards';
import { partsAfter, partsOf } from './listParts';
import { MORE_SIGN_IN_AGAIN, explainShort, listCommandAgain } from './listWords';
import { notOwnersPress } from './listOwner';
import type { ListPageData } from './listCards';

export interface PageDeps {
  readonly signIn: SignInFlow<PendingCommand>;
  readonly myWork: MyWorkPort;
  readonly now?: () => number;
}

/**
 * Graph's pages (rounds of every source's next link, one $batch each) one read follows at most
 * while they hold no new row and a next page follows: a press of More, or a list's first read.
 * Each round is a round trip against the person's share of Graph's throttling limits; past ten
 * the person is told how many gave nothing (and presses More to read on) rather than left waiting
 * on one press for the whole deadline.
 */
export const PAGES_PER_READ = 10;
/** Less time than this left of the read's deadline: no further page is asked for. */
const LEAST_PAGE_MS = 1_000;

/**
 * The first pages of `list` (or the pages `next` points to) read as `aad`, reading on through
 * Graph's next links while they add no row the person may act on that is not `listed` already:
 * "A page of results may contain zero or more results", and the client follows @odata.nextLink
 * until there is none (https://learn.microsoft.com/graph/paging). It stops at a row found, no next
 * link, a part that failed (the card says why), PAGES_PER_READ rounds, or the end of the one
 * LIST_BUDGET_MS deadline, each read given only the time left of it. `emptyPages`: the rounds
 * read when it stopped with no row and a next page still to read (the card says so).
 */
export async function readOn(
  deps: PageDeps,
  list: ListName,
  aad: string,
  next?: Continuations,
  listed: ReadonlySet<string> = new Set(),
): Promise<{ fetched: WorkFetch; emptyPages: number | undefined }> {
  const now = deps.now ?? Date.now;
  const deadline = now() + LIST_BUDGET_MS;
  const token = actorFor(deps.signIn, aad).getToken;
  let fetched = await deps.myWork.fetch(list, token, next, LIST_BUDGET_MS);
  let pages = 1;
  const found = () => decidableBy(list, fetched.items, aad).some((i) => !listed.has(rowKey(i)));
  const readsOn = () => !found() && fetched.failed.length === 0 && Object.keys(fetched.next).length > 0;
  while (readsOn() && pages < PAGES_PER_READ && deadline - now() >= LEAST_PAGE_MS) {
    const page = await deps.myWork.fetch(list, token, fetched.next, deadline - now());
    pages += 1;
    // A request read again on a later page (its state changed between two reads) is kept once.
    const read = new Set(fetched.items.map(rowKey));
    fetched = {
      items: [...fetched.items, ...page.items.filter((i) => !read.has(rowKey(i)))],
      next: page.next,
      capped: [...new Set([...fetched.capped, ...page.capped])],
      failed: [...fetched.failed, ...page.failed],
    };
  }
  return { fetched, emptyPages: readsOn() ? pages : undefined };
}

export type PageTurn =
  { readonly ok: true; readonly snapshot: ListSnapshot<WorkItem> } | { readonly ok: false; readonly problem: string };

/** True when the page starting at `offset` needs rows Graph has not given yet (and offered). */
export function needsGraph(s: ListSnapshot<WorkItem>, offset: number): boolean {
  return offset + PAGE_SIZE > s.items.length && Object.keys(s.next).length > 0;
}

/**
 * The list with the page starting at `offset` on screen, its rows read from Graph's next pages
 * (readOn: past empty pages, within one deadline) as `aad` when the rows already read do not
 * fill it. Graph's pages may hold fewer rows than a card's, or none while a next page follows
 * ("A page of results may contain zero or more results", https://learn.microsoft.com/graph/paging):
 * after such a read the card shows the page holding the first row it added (More from a page the
 * rows ended in would otherwise pass over the rows between), or, when it added none (the read
 * stopped at its bound or deadline, which the card says, or a read failed), the last page with
 * rows, where the person was. A page past the end (a stale button) shows the first page rather
 * than an empty one.
 */
export async function turnPage(
  deps: PageDeps,
  current: ListSnapshot<WorkItem>,
  offset: number,
  aad: string,
): Promise<PageTurn> {
  // What the last read of Graph said of its empty pages is about that read only.
  const { emptyPages: _said, ...was } = current;
  let snapshot: ListSnapshot<WorkItem> = { ...was, offset };
  if (needsGraph(snapshot, offset)) {
    const read = current.items.length;
    // A request read again (its state changed between two reads of "my requests") is listed once.
    const listed = new Set(current.items.map(rowKey));
    const { fetched, emptyPages } = await readOn(deps, snapshot.list, aad, snapshot.next, listed);
    if (refusedSignIn(fetched)) {
      // Graph no longer accepts the token: forgotten, so the next press signs in afresh. The card
      // stays as it was, with the links to Graph's next pages that press reads.
      deps.signIn.forgetToken(aad);
      return { ok: false, problem: MORE_SIGN_IN_AGAIN };
    }
    const added = decidableBy(snapshot.list, fetched.items, aad).filter((i) => !listed.has(rowKey(i)));
    snapshot = {
      ...snapshot,
      items: [...snapshot.items, ...newestFirst(added)],
      next: fetched.next,
      problems: [
        ...snapshot.problems,
        ...fetched.failed.map((f) => explainShort(snapshot.list, f.kind, f.error, f.reads, true)),
      ],
      parts: partsAfter(snapshot.parts, fetched),
      ...(emptyPages ? { emptyPages } : {}),
    };
    const start = Math.min(offset, pageStartOf(read));
    const shown = start < snapshot.items.length ? start : pageStartOf(Math.max(0, snapshot.items.length - 1));
    snapshot = { ...snapshot, offset: shown };
  }
  if (snapshot.offset >= snapshot.items.length) snapshot = { ...snapshot, offset: 0 };
  return { ok: true, snapshot };
}

const rowKey = (i: WorkItem): string => `${i.kind}:${i.requestId}`;

/** The first row of the card page that holds row `index` (counted from 0). */
const pageStartOf = (index: number): number => Math.floor(index / PAGE_SIZE) * PAGE_SIZE;

/** Graph refused the user's token for a part of the list (the same token read every part). */
export function refusedSignIn(fetched: WorkFetch): boolean {
  return fetched.failed.some((f) => f.error instanceof SignInRequiredError);
}

/** The list as first read for `aad` at `readAt`, on its first page, no row decided yet. */
export function firstSnapshot(
  list: ListName,
  aad: string,
  userName: string | undefined,
  fetched: WorkFetch,
  readAt: number,
  emptyPages?: number,
): ListSnapshot<WorkItem> {
  return {
    readAt,
    list,
    userId: aad,
    ...(userName ? { userName } : {}),
    items: newestFirst(decidableBy(list, fetched.items, aad)),
    offset: 0,
    next: fetched.next,
    capped: fetched.capped,
    problems: fetched.failed.map((f) => explainShort(list, f.kind, f.error, f.reads)),
    parts: partsOf(fetched),
    outcomes: {},
    ...(emptyPages ? { emptyPages } : {}),
  };
}

/** Why a page button's press shows no page: the list is gone, the button names no page (`asked`
 * null), or the presser (`aad`) is not the list's owner; null when its page may be turned to. */
export function pageRefusal(
  current: ListSnapshot<WorkItem> | null,
  asked: ListPageData | null,
  data: unknown,
  aad: string | null,
): string | null {
  const list = asked?.list ?? (data as { list?: unknown } | null | undefined)?.list;
  if (!current || !aad) return `This list is too old to page through. ${listCommandAgain(list, 'new list')}`;
  if (!asked) return `This button names no page of this list. ${listCommandAgain(list, 'new list')}`;
  return notOwnersPress(current, aad);
}
