// The team owner read (src/graph/ownedGroups.ts) on Graph answers the simulated tenant never gives:
// where its @odata.nextLink may lead the person's token, and what an answer that is not a list of
// directory objects means. Paging: https://learn.microsoft.com/en-us/graph/paging ("the URL in
// @odata.nextLink"; the bot sends the user's token only under its own Graph root). The read:
// https://learn.microsoft.com/en-us/graph/api/user-list-ownedobjects (200 and a collection of
// directoryObject; the ids of the objects the user owns).

import { strict as assert } from 'node:assert';
import { ownsGroup } from '../../src/graph/ownedGroups';

const ROOT = 'https://graph.microsoft.com';
const GROUP = '7d1f5a2e-3c4b-4e8f-9a0b-1c2d3e4f5a6b';
const OTHER = '0c6f3b2a-9d4e-4f1a-8b7c-2e5d6a1f0a02';

interface Sent {
  readonly path: string;
  readonly query: Readonly<Record<string, string>> | undefined;
}

/** A Graph that answers each request with the next of `answers`, and notes what was asked. */
function graphOf(answers: Array<{ status: number; body: unknown }>) {
  const sent: Sent[] = [];
  const graph = {
    endpoint: ROOT,
    getReading: async (_version: string, path: string, query: Readonly<Record<string, string>> | undefined) => {
      sent.push({ path, query });
      const next = answers.shift();
      if (!next) throw new Error('asked once more than expected');
      return { status: next.status, bodyText: typeof next.body === 'string' ? next.body : JSON.stringify(next.body) };
    },
  };
  return { graph, sent };
}

describe('team owner read: GET /me/ownedObjects as the person (src/graph/ownedGroups.ts)', () => {
  it('asks only for ids of the signed-in user, and finds the group in any case of its id', async () => {
    const { graph, sent } = graphOf([{ status: 200, body: { value: [{ id: OTHER }, { id: GROUP.toUpperCase() }] } }]);
    assert.equal(await ownsGroup(graph, 'token', GROUP), true);
    assert.deepEqual(sent, [{ path: '/me/ownedObjects', query: { $select: 'id' } }]);
  });

  it('an @odata.nextLink outside this Graph root and version is never followed: "cannot tell"', async () => {
    for (const link of [
      'https://graph.microsoft.com.evil.example/v1.0/me/ownedObjects?$skiptoken=2',
      'https://evil.example/v1.0/me/ownedObjects?$skiptoken=2',
      'http://graph.microsoft.com/v1.0/me/ownedObjects?$skiptoken=2',
      'https://graph.microsoft.com/beta/me/ownedObjects?$skiptoken=2',
      '/v1.0/me/ownedObjects?$skiptoken=2',
      'https://graph.microsoft.com@evil.example/v1.0/me/ownedObjects',
    ]) {
      const { graph, sent } = graphOf([{ status: 200, body: { value: [{ id: OTHER }], '@odata.nextLink': link } }]);
      assert.equal(await ownsGroup(graph, 'token', GROUP), null, link);
      assert.equal(sent.length, 1, `${link} was followed`);
    }
  });

  it('a nextLink under the root is followed as given, with its own query', async () => {
    const { graph, sent } = graphOf([
      {
        status: 200,
        body: { value: [{ id: OTHER }], '@odata.nextLink': `${ROOT}/v1.0/me/ownedObjects?$select=id&$skiptoken=X%2B1` },
      },
      { status: 200, body: { value: [] } },
    ]);
    assert.equal(await ownsGroup(graph, 'token', GROUP), false);
    assert.deepEqual(sent[1], { path: '/me/ownedObjects?$select=id&$skiptoken=X%2B1', query: undefined });
  });

  it('an answer that is not a 2xx list of objects is "cannot tell", never "not an owner" nor "owner"', async () => {
    for (const answer of [
      { status: 403, body: { error: { code: 'Authorization_RequestDenied' }, value: [{ id: GROUP }] } },
      { status: 200, body: 'not json' },
      { status: 200, body: { value: { id: GROUP } } },
      { status: 200, body: {} },
      { status: 204, body: '' },
    ]) {
      const { graph } = graphOf([answer]);
      assert.equal(await ownsGroup(graph, 'token', GROUP), null, JSON.stringify(answer));
    }
  });

  it('an id that is not the group (a prefix, the group id within another string) is not the group', async () => {
    const { graph } = graphOf([
      {
        status: 200,
        body: { value: [{ id: GROUP.slice(0, 30) }, { id: `${GROUP}x` }, { id: ` ${GROUP}` }, {}, null] },
      },
    ]);
    assert.equal(await ownsGroup(graph, 'token', GROUP), false);
  });
});
