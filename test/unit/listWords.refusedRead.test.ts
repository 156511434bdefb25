// A part of a list Graph refused (400 or 409 to the read: a query it does not take, or a next
// page's $skiptoken it no longer takes, https://learn.microsoft.com/graph/paging: the token is
// opaque, good only in the nextLink it came in, and the simulated tenant's are good only while it
// runs) is a note on the list card. The card shows no Graph request-id under its notes, so the
// note must not send the reader to "the Graph request-id below": it names the id itself, and says
// what to do next (contract §6: errors say what to do next): send the list command again, which
// reads the first pages afresh with new links.

import { strict as assert } from 'node:assert';
import { explainShort } from '../../src/bot/listWords';
import type { BatchAnswer } from '../../src/graph/graphReads';
import { ListReads, MyWorkReader } from '../../src/graph/myWorkReader';
import { listCard } from '../../src/bot/listCards';
import type { ListSnapshot } from '../../src/state/listCards';
import type { WorkItem } from '../../src/domain/myWork';

const ROOT = 'https://graph.microsoft.com';
const REQUEST_ID = '22222222-2222-4222-8222-222222222222';
const NEXT = `${ROOT}/v1.0/identityGovernance/entitlementManagement/assignmentRequests/filterByCurrentUser(on='target')?$skiptoken=abc`;

function refusing(status: number, requestId: string | null): ListReads {
  return {
    endpoint: ROOT,
    async batchGet(_op, _v, requests) {
      return new Map(
        requests.map((r): [string, BatchAnswer] => [
          r.id,
          {
            status,
            headers: requestId ? { 'request-id': requestId } : {},
            body: { error: { code: 'BadRequest', message: 'The $skiptoken is not valid for this request.' } },
          },
        ]),
      );
    },
    async getJson() {
      throw new Error('not read alone in this test');
    },
  } as ListReads;
}

async function noteFor(list: 'requests' | 'approvals', status: number, requestId: string | null): Promise<string> {
  const reader = new MyWorkReader(refusing(status, requestId), { sleep: () => Promise.resolve() });
  const fetched = await reader.fetch(list, async () => 'token', { 'access.submitted': NEXT });
  const failed = fetched.failed.find((f) => f.kind === 'access');
  assert.ok(failed, 'the access package part failed');
  return explainShort(list, 'access', failed.error, failed.reads);
}

describe('a list part Graph refused: the note names its request-id and what to do next', () => {
  for (const status of [400, 409]) {
    it(`HTTP ${status} with Graph's request-id: named in the note, and the list command to send again`, async () => {
      const words = await noteFor('requests', status, REQUEST_ID);
      assert.match(words, /could not be listed: refused by Microsoft Graph\. Nothing was changed\./, words);
      assert.doesNotMatch(words, /below/, words);
      assert.ok(words.includes(REQUEST_ID), words);
      assert.ok(words.includes('Send "my requests" again for a new list'), words);
    });
  }

  it('without a request-id from Graph: no id promised, the list command to send again', async () => {
    const words = await noteFor('approvals', 400, null);
    assert.doesNotMatch(words, /below|request-id/, words);
    assert.ok(words.includes('Send "my approvals" again for a new list'), words);
  });

  it('HTTP 501 (not offered here): the request-id named in the note, none promised below', async () => {
    const words = await noteFor('requests', 501, REQUEST_ID);
    assert.doesNotMatch(words, /below/, words);
    assert.ok(words.includes(REQUEST_ID), words);
  });

  it('on the list card the note is all there is: no request-id shown below it but the one it names', async () => {
    const words = await noteFor('requests', 400, REQUEST_ID);
    const snapshot: ListSnapshot<WorkItem> = {
      readAt: 0,
      list: 'requests',
      userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1',
      items: [],
      offset: 0,
      next: {},
      capped: [],
      problems: [words],
      parts: { read: [], failed: ['access'] },
      outcomes: {},
    };
    const card = JSON.stringify(listCard(snapshot, 0));
    assert.equal(card.split(REQUEST_ID).length - 1, 1, 'the request-id appears once, in the note');
  });
});
