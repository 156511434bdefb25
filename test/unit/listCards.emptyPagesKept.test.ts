// Two presses of More at once: one reads on to new rows, the other follows Graph's empty pages
// (https://learn.microsoft.com/graph/paging: a page may hold no results while a next link follows)
// to its bound and is kept second. The list as kept holds the first press's rows and links, so it
// must not say that Graph gave pages with no new rows: that was the other read's word.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WorkItem } from '../../src/domain/myWork';
import { ListCards, ListSnapshot } from '../../src/state/listCards';
import { SqliteState } from '../../src/state/sqlite';

const item = (i: number): WorkItem => ({
  kind: 'access',
  requestId: `7999249e-249e-4999-9e24-${String(i).padStart(12, '0')}`,
  requester: null,
  what: null,
  justification: null,
  duration: null,
  createdAt: null,
  expiresAt: null,
});
const rows = (n: number): WorkItem[] => Array.from({ length: n }, (_, i) => item(i));

function listOf(n: number, extra: Partial<ListSnapshot<WorkItem>> = {}): ListSnapshot<WorkItem> {
  return {
    list: 'approvals',
    userId: 'megan',
    items: rows(n),
    offset: 20,
    next: { access: `https://graph.microsoft.com/v1.0/next?$skiptoken=${n}` },
    capped: [],
    problems: [],
    outcomes: {},
    ...extra,
  };
}

describe('a list kept after two page turns at once', () => {
  let dir: string;
  let state: SqliteState;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-listcards-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the further read's word on empty pages with its rows, not the other read's", async () => {
    const cards = new ListCards<WorkItem>(state.records);
    await cards.save('c', 'a', listOf(35, { offset: 30 }));
    const kept = await cards.save('c', 'a', listOf(30, { emptyPages: 10 }));
    assert.equal(kept.items.length, 35);
    assert.equal(kept.emptyPages, undefined);
  });

  it('keeps the word of a read that was not overtaken', async () => {
    const cards = new ListCards<WorkItem>(state.records);
    await cards.save('c', 'a', listOf(30));
    const kept = await cards.save('c', 'a', listOf(30, { emptyPages: 10 }));
    assert.equal(kept.emptyPages, 10);
  });
});
