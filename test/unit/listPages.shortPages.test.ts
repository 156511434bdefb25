// More when Graph's pages hold fewer rows than a card's page. "A page of results may contain zero
// or more results" (https://learn.microsoft.com/graph/paging): a next page can add a few rows, or
// none while its @odata.nextLink points on. More then shows the page that holds the first row not
// yet shown, never one past rows the person has not seen, and never the first page again; a list
// with no rows yet but more to read does not say that nothing waits.

import { strict as assert } from 'node:assert';
import { listCard, pageOf } from '../../src/bot/listCards';
import { turnPage } from '../../src/bot/listPages';
import { UpstreamError } from '../../src/domain/errors';
import type { WorkFetch, WorkItem } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';
import type { PageDeps } from '../../src/bot/listPages';
import { item, rows } from '../fixtures/accessRows';

function listOf(items: WorkItem[], offset: number): ListSnapshot<WorkItem> {
  return {
    readAt: 0,
    list: 'approvals',
    userId: 'megan',
    items,
    offset,
    next: { access: 'https://graph.microsoft.com/v1.0/next?$skiptoken=a' },
    capped: [],
    problems: [],
    parts: { read: ['role', 'group', 'access'], failed: [] },
    outcomes: {},
  };
}

function deps(fetched: WorkFetch): PageDeps {
  const signIn = { forgetToken: () => undefined } as unknown as PageDeps['signIn'];
  return { signIn, myWork: { fetch: async () => fetched } };
}
const NEXT = { access: 'https://graph.microsoft.com/v1.0/next?$skiptoken=b' };
const ids = (s: ListSnapshot<WorkItem>): number[] => pageOf(s).map((i) => Number(i.requestId.slice(-12)));

describe('More over Graph pages shorter than a card page', () => {
  it('More from a page that ends mid-page shows the next rows read, none skipped', async () => {
    // Rows 21-28 on screen (a short page from Graph), More asks for the page from row 31.
    const turned = await turnPage(
      deps({ items: rows(28, 53), next: {}, capped: [], failed: [] }),
      listOf(rows(0, 28), 20),
      30,
      'megan',
    );
    assert.ok(turned.ok);
    assert.deepEqual(
      ids(turned.snapshot),
      [20, 21, 22, 23, 24, 25, 26, 27, 28, 29],
      'rows 29 and 30 are on the page shown',
    );
  });

  it('a next page with no rows leaves the card on its last page, not the first', async () => {
    const turned = await turnPage(
      deps({ items: [], next: NEXT, capped: [], failed: [] }),
      listOf(rows(0, 30), 20),
      30,
      'megan',
    );
    assert.ok(turned.ok);
    assert.equal(turned.snapshot.offset, 20);
    assert.deepEqual(turned.snapshot.next, NEXT, 'More still reads on');
  });

  it('a next page that failed leaves the card on its last page, saying why', async () => {
    const failed = [{ kind: 'access' as const, error: new UpstreamError('x'), reads: ['access'] }];
    const turned = await turnPage(
      deps({ items: [], next: {}, capped: [], failed }),
      listOf(rows(0, 30), 20),
      30,
      'megan',
    );
    assert.ok(turned.ok);
    assert.equal(turned.snapshot.offset, 20);
    assert.match(JSON.stringify(listCard(turned.snapshot, 0)), /could not be listed/);
  });

  it('a first page with no rows but more to read: More shows the first rows, and the card does not say nothing waits', async () => {
    const empty = listOf([], 0);
    const shown = JSON.stringify(listCard(empty, 0));
    assert.doesNotMatch(shown, /Nothing waits for your decision/);
    assert.match(shown, /Press More/);
    const turned = await turnPage(deps({ items: rows(0, 25), next: {}, capped: [], failed: [] }), empty, 10, 'megan');
    assert.ok(turned.ok);
    assert.deepEqual(ids(turned.snapshot), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('More over Graph pages that repeat a row', () => {
  it('a request read again on a next page (its state changed between two reads) is listed once', async () => {
    // "my requests" reads each state on its own: a request listed as submitted may come again on
    // the next page of pendingApproval once it moved there.
    const turned = await turnPage(
      deps({ items: [item(3), ...rows(30, 40)], next: {}, capped: [], failed: [] }),
      listOf(rows(0, 30), 20),
      30,
      'megan',
    );
    assert.ok(turned.ok);
    const all = turned.snapshot.items.map((i) => `${i.kind}:${i.requestId}`);
    assert.equal(new Set(all).size, all.length, 'no request twice');
    assert.equal(all.length, 40);
  });
});

describe('More whose next page could not be read', () => {
  it('says further rows of that kind could not be listed, not that none of that kind could be, while its rows are shown', async () => {
    const failed = [{ kind: 'access' as const, error: new UpstreamError('x'), reads: ['access'] }];
    const turned = await turnPage(
      deps({ items: [], next: {}, capped: [], failed }),
      listOf(rows(0, 30), 20),
      30,
      'megan',
    );
    assert.ok(turned.ok);
    assert.deepEqual(turned.snapshot.problems, [
      'Further access package approvals could not be listed: Microsoft Graph failed or did not answer. Send "my approvals" again in a moment.',
    ]);
  });
});
