// More (and a list's first read) over Graph pages that hold no rows while a next page follows. "A
// page of results may contain zero or more results" and the client keeps following
// @odata.nextLink until there is none (https://learn.microsoft.com/graph/paging): one press reads
// on past empty pages, within the list's one deadline and a bound on the pages it follows, and when
// it stops with still no row the card says so instead of showing the same card again.

import { strict as assert } from 'node:assert';
import { listCard, pageOf } from '../../src/bot/listCards';
import { PAGES_PER_READ, firstSnapshot, readOn, turnPage } from '../../src/bot/listPages';
import { UpstreamError } from '../../src/domain/errors';
import { LIST_BUDGET_MS } from '../../src/domain/myWork';
import type { Continuations, WorkFetch, WorkItem } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';
import type { PageDeps } from '../../src/bot/listPages';
import { rows } from '../fixtures/accessRows';

const link = (n: number): Continuations => ({ access: `https://graph.microsoft.com/v1.0/next?$skiptoken=${n}` });

function listOf(items: WorkItem[], offset: number): ListSnapshot<WorkItem> {
  return {
    readAt: 0,
    list: 'approvals',
    userId: 'megan',
    items,
    offset,
    next: link(0),
    capped: [],
    problems: [],
    parts: { read: ['role', 'group', 'access'], failed: [] },
    outcomes: {},
  };
}

interface Call {
  readonly next: Continuations | undefined;
  readonly budgetMs: number | undefined;
}

/** A Graph that gives `empties` empty pages, each with a next link, then `last` (or empty pages
 * for ever); each read takes `readMs` on the hand-driven clock. */
function graph(empties: number, last: WorkFetch | null, readMs = 0) {
  const calls: Call[] = [];
  let clock = 1_000_000;
  const signIn = { forgetToken: () => undefined, getToken: async () => 't' } as unknown as PageDeps['signIn'];
  const deps: PageDeps = {
    signIn,
    now: () => clock,
    myWork: {
      fetch: async (_list, _token, next, budgetMs) => {
        calls.push({ next, budgetMs });
        clock += readMs;
        const n = calls.length;
        if (n <= empties || !last) return { items: [], next: link(n), capped: [], failed: [] };
        return last;
      },
    },
  };
  return { deps, calls };
}
const ids = (s: ListSnapshot<WorkItem>): number[] => pageOf(s).map((i) => Number(i.requestId.slice(-12)));

describe('More over Graph pages that hold no rows while a next page follows', () => {
  it('one press reads on past empty pages to the next rows, each next link followed in turn', async () => {
    const { deps, calls } = graph(3, { items: rows(30, 35), next: {}, capped: [], failed: [] });
    const turned = await turnPage(deps, listOf(rows(0, 30), 20), 30, 'megan');
    assert.ok(turned.ok);
    assert.deepEqual(ids(turned.snapshot), [30, 31, 32, 33, 34]);
    assert.equal(calls.length, 4);
    assert.deepEqual(
      calls.map((c) => c.next),
      [link(0), link(1), link(2), link(3)],
    );
    assert.doesNotMatch(JSON.stringify(listCard(turned.snapshot, 0)), /pages with no/);
  });

  it('stops at the bound on pages per press, on the last page with rows, and says so with More still offered', async () => {
    const { deps, calls } = graph(0, null);
    const turned = await turnPage(deps, listOf(rows(0, 30), 20), 30, 'megan');
    assert.ok(turned.ok);
    assert.equal(calls.length, PAGES_PER_READ);
    assert.equal(turned.snapshot.offset, 20);
    assert.deepEqual(turned.snapshot.next, link(PAGES_PER_READ), 'the next press reads on from there');
    const card = JSON.stringify(listCard(turned.snapshot, 0));
    assert.match(card, new RegExp(`Microsoft Graph gave ${PAGES_PER_READ} more pages with no new rows`));
    assert.match(card, /press More to read on/);
    assert.match(card, /"More"/);
  });

  it('reads on only within the list read deadline, each read given only the time left, and says so', async () => {
    const { deps, calls } = graph(0, null, 8_000);
    const turned = await turnPage(deps, listOf(rows(0, 30), 20), 30, 'megan');
    assert.ok(turned.ok);
    assert.ok(calls.length < PAGES_PER_READ, 'the deadline, not the bound, stopped it');
    calls.forEach((c, i) => assert.equal(c.budgetMs, LIST_BUDGET_MS - i * 8_000));
    assert.match(JSON.stringify(listCard(turned.snapshot, 0)), new RegExp(`gave ${calls.length} more pages`));
  });

  it('a press that later finds rows no longer carries the empty-pages line', async () => {
    const stopped = await turnPage(graph(0, null).deps, listOf(rows(0, 30), 20), 30, 'megan');
    assert.ok(stopped.ok);
    const { deps } = graph(1, { items: rows(30, 32), next: {}, capped: [], failed: [] });
    const turned = await turnPage(deps, stopped.snapshot, 30, 'megan');
    assert.ok(turned.ok);
    assert.equal(turned.snapshot.emptyPages, undefined);
    assert.doesNotMatch(JSON.stringify(listCard(turned.snapshot, 0)), /pages with no/);
  });
});

describe('More over empty pages, then a page that could not be read', () => {
  it('stops reading on at the part that failed and says why, not that Graph gave empty pages', async () => {
    const failed = [{ kind: 'access' as const, error: new UpstreamError('x'), reads: ['access'] }];
    // Another source still has a next page: the read stops all the same, with the failure to say.
    const { deps, calls } = graph(2, { items: [], next: link(99), capped: [], failed });
    const turned = await turnPage(deps, listOf(rows(0, 30), 20), 30, 'megan');
    assert.ok(turned.ok);
    assert.equal(calls.length, 3);
    assert.equal(turned.snapshot.offset, 20);
    assert.equal(turned.snapshot.emptyPages, undefined);
    assert.match(JSON.stringify(listCard(turned.snapshot, 0)), /Further access package approvals could not be listed/);
  });
});

describe("A list's first read over Graph pages that hold no rows", () => {
  it('reads on past empty first pages to the first rows', async () => {
    const { deps, calls } = graph(2, { items: rows(0, 3), next: {}, capped: [], failed: [] });
    const read = await readOn(deps, 'approvals', 'megan');
    assert.equal(calls[0]!.next, undefined, 'the first pages first');
    assert.deepEqual(calls[1]!.next, link(1));
    const s = firstSnapshot('approvals', 'megan', undefined, read.fetched, 0, read.emptyPages);
    assert.deepEqual(ids(s), [0, 1, 2]);
  });

  it('with still no row at the bound, the empty card says how many pages Graph gave and that it has more', async () => {
    const { deps, calls } = graph(0, null);
    const read = await readOn(deps, 'approvals', 'megan');
    assert.equal(calls.length, PAGES_PER_READ);
    const s = firstSnapshot('approvals', 'megan', undefined, read.fetched, 0, read.emptyPages);
    const card = JSON.stringify(listCard(s, 0));
    assert.match(card, new RegExp(`None found so far: Microsoft Graph gave ${PAGES_PER_READ} pages with no rows`));
    assert.match(card, /Press More to read on/);
    assert.doesNotMatch(card, /Nothing waits/);
  });
});
