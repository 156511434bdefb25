// A part of a list Graph answered 404 is a note on the list card. The list reads no item the
// person named (each is Graph's filterByCurrentUser collection, or a next page's link Graph gave:
// https://learn.microsoft.com/graph/paging), so the note must not speak of one request that "no
// longer exists" nor send the reader to check ids they never typed. It says what to do next
// (contract §6): send the list command again, which reads the first pages afresh, and names
// Graph's request-id, since a list card shows none below its notes.

import { strict as assert } from 'node:assert';
import { explainShort } from '../../src/bot/listWords';
import type { BatchAnswer } from '../../src/graph/graphReads';
import { ListReads, MyWorkReader } from '../../src/graph/myWorkReader';

const ROOT = 'https://graph.microsoft.com';
const REQUEST_ID = '33333333-3333-4333-8333-333333333333';

function notFound(requestId: string | null): ListReads {
  return {
    endpoint: ROOT,
    async batchGet(_op, _v, requests) {
      return new Map(
        requests.map((r): [string, BatchAnswer] => [
          r.id,
          {
            status: 404,
            headers: requestId ? { 'request-id': requestId } : {},
            body: { error: { code: 'ResourceNotFound', message: 'Resource not found.' } },
          },
        ]),
      );
    },
    async getJson() {
      throw new Error('not read alone in this test');
    },
  } as ListReads;
}

async function notes(list: 'requests' | 'approvals', requestId: string | null): Promise<string[]> {
  const reader = new MyWorkReader(notFound(requestId), { sleep: () => Promise.resolve() });
  const fetched = await reader.fetch(list, async () => 'token');
  assert.ok(fetched.failed.length > 0, 'a part failed');
  return fetched.failed.map((f) => explainShort(list, f.kind, f.error, f.reads));
}

describe('a list part Graph answered 404: the note speaks of the list, not of one item', () => {
  for (const list of ['requests', 'approvals'] as const) {
    it(`"my ${list}": no "no longer exists", no ids to check; the list command again and Graph's request-id`, async () => {
      for (const words of await notes(list, REQUEST_ID)) {
        assert.match(words, / could not be listed: /, words);
        assert.doesNotMatch(words, /no longer exists|Check the ids|notification/, words);
        assert.ok(words.includes(`Send "my ${list}" again for a new list.`), words);
        assert.ok(words.includes(REQUEST_ID), words);
        assert.doesNotMatch(words, /below/, words);
      }
    });
  }

  it('without a request-id from Graph: none promised', async () => {
    for (const words of await notes('approvals', null)) {
      assert.doesNotMatch(words, /request-id|below/, words);
      assert.ok(words.includes('Send "my approvals" again for a new list.'), words);
    }
  });
});
