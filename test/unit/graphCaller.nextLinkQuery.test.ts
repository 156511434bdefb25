// An @odata.nextLink is followed as Graph gave it: "make a GET request to the URL in the
// @odata.nextLink property", whose query ($skiptoken and the rest) is opaque to the client
// (https://learn.microsoft.com/graph/paging). The Graph client's path parser takes the first
// "https://" anywhere in a path for the start of a new host, so a link whose query held one was
// sent to another host and path, its skiptoken cut, while the link itself is under this bot's
// Graph root. Over the real Graph client and middleware chain (GraphReads), the fetch recorded.

import { strict as assert } from 'node:assert';
import { ownsGroup } from '../../src/graph/ownedGroups';
import { GraphReads } from '../../src/graph/graphReads';

const GROUP = '7d1f5a2e-3c4b-4e8f-9a0b-1c2d3e4f5a6b';
const OTHER = '0c6f3b2a-9d4e-4f1a-8b7c-2e5d6a1f0a02';

interface Asked {
  readonly url: string;
  readonly authorization: string | null;
}

/** GraphReads whose fetch notes each request and answers it with the next of `bodies`. */
function readsAt(endpoint: string, bodies: unknown[]) {
  const asked: Asked[] = [];
  const fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    asked.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
    const body = bodies.shift();
    return Promise.resolve(
      body === undefined
        ? new Response('{"error":{"code":"NotFound"}}', { status: 404 })
        : new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }),
    );
  };
  return { reads: new GraphReads({ graphEndpoint: endpoint, fetch }), asked };
}

describe('a nextLink whose query holds "https://" is sent to its own URL', () => {
  for (const endpoint of ['https://graph.microsoft.com', 'https://127.0.0.1:8443']) {
    it(`under ${endpoint}: the same host, path and query, with the token`, async () => {
      const link = `${endpoint}/v1.0/me/ownedObjects?$select=id&$skiptoken=https://a.example/X'Q`;
      const { reads, asked } = readsAt(endpoint, [
        { value: [{ id: OTHER }], '@odata.nextLink': link },
        { value: [{ id: GROUP }] },
      ]);
      assert.equal(await ownsGroup(reads, 'the-token', GROUP), true);
      assert.equal(asked.length, 2);
      assert.equal(asked[1]!.url, link);
      assert.equal(asked[1]!.authorization, 'Bearer the-token');
    });
  }

  it('a path without a query, and one with an ordinary query, are sent as before', async () => {
    const { reads, asked } = readsAt('https://graph.microsoft.com', [{ value: [] }, { value: [] }]);
    await reads.getReading('v1.0', '/me/ownedObjects', { $select: 'id' }, 't', 5_000);
    await reads.getReading('v1.0', '/me/ownedObjects?$select=id&$skiptoken=RFNwdAIAAQ', undefined, 't', 5_000);
    assert.deepEqual(
      asked.map((a) => a.url),
      [
        'https://graph.microsoft.com/v1.0/me/ownedObjects?$select=id',
        'https://graph.microsoft.com/v1.0/me/ownedObjects?$select=id&$skiptoken=RFNwdAIAAQ',
      ],
    );
  });
});
