// The connector the bot replies through, in process: one client per service URL shared by turns
// and proactive sends, and a deadline on every send so a connector that never answers cannot hang
// a turn or a notification.

import { strict as assert } from 'node:assert';
import { messagesEdgeSession, startConnector } from '../fixtures/messagesEdge';

describe('/api/messages (in process): connector clients and their deadline', () => {
  const edge = messagesEdgeSession();

  /** A conversation reference to the personal chat of edge.activity(), for proactive sends. */
  const personalChat = () => ({
    channelId: 'msteams',
    serviceUrl: edge.connector.url,
    conversation: { id: 'a:personal', conversationType: 'personal', isGroup: false, name: '' },
    bot: { id: '28:bot', name: 'bot' },
  });

  it('uses one connector client for every turn, and every proactive send, to the same service URL', async () => {
    const other = await startConnector();
    try {
      for (const serviceUrl of [edge.connector.url, edge.connector.url, other.url]) {
        assert.equal((await edge.post(edge.activity({ serviceUrl }))).status, 200);
      }
      // Two proactive sends (the sandbox's app id '' and an unauthenticated turn's none are two keys).
      const proactive: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        await edge.adapter.continueConversationAsync('', personalChat(), async (ctx) => {
          proactive.push(ctx.turnState.get(edge.adapter.ConnectorClientKey));
        });
      }
      const [a, b, c] = edge.clients;
      assert.ok(a, 'the turn had a connector client');
      assert.equal(a, b, 'the second turn reused the first one');
      assert.ok(proactive[0]);
      assert.equal(proactive[0], proactive[1], 'proactive sends reuse theirs');
      assert.notEqual(c, a, 'another service URL has its own');
      assert.equal(edge.connector.seen.length, 2);
      assert.equal(other.seen.length, 1, 'each reply went to its own service URL');
    } finally {
      await other.close();
    }
  });

  it('fails a send to a connector that never answers by the deadline, and the turn ends', async () => {
    edge.connector.state.hang = true;
    const r = await edge.post(edge.activity());
    assert.equal(r.status, 200, r.text);
    assert.equal(edge.connector.seen.length, 1, 'the send reached the connector');
    assert.equal(edge.sendErrors.length, 1);
    const error = edge.sendErrors[0] as { name?: string; code?: string };
    assert.equal(error.name, 'ConnectorTimeoutError');
    assert.equal(error.code, 'ETIMEDOUT');
  });

  it('gives proactive sends the same deadline, and never builds a connector without a serviceUrl', async () => {
    edge.connector.state.hang = true;
    const reference = personalChat();
    let failure: unknown = null;
    await edge.adapter.continueConversationAsync('', reference, async (ctx) => {
      try {
        await ctx.sendActivity('notification');
      } catch (e) {
        failure = e;
      }
    });
    assert.equal((failure as { name?: string } | null)?.name, 'ConnectorTimeoutError');
    assert.equal(edge.connector.seen.length, 1);
    let ran = false;
    await assert.rejects(
      edge.adapter.continueConversationAsync('', { ...reference, serviceUrl: undefined }, async () => {
        ran = true;
      }),
      /no usable serviceUrl/,
    );
    assert.equal(ran, false);
  });
});
