// A Retry-After given as an HTTP-date names a moment on Teams' clock; the answer's own Date header
// is the same clock, so the wait is the one from the other (RFC 9110 §10.2.3 and §6.6.1:
// https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3). Counted from the bot's clock instead, a
// bot behind Teams' clock waits too long (past the deadline: the 429 goes to the caller though the
// wait fitted) and one ahead of it sends again early, into the throttle
// (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit).

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { fitRetry } from '../../src/bot/connectorRetry';

/** A connector whose clock is `skewMs` off the bot's: its first answer is a 429 asking for a wait
 * of 2 s as an HTTP-date, with its own Date; then 200. */
async function skewedConnector(skewMs: number, kind: 'turn' | 'proactive') {
  const sends: number[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      sends.push(Date.now());
      if (sends.length > 1) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id":"act-1"}');
        return;
      }
      // Whole seconds, as an HTTP-date has: the wait asked for is exactly 2 s.
      const teamsNow = Math.floor((Date.now() + skewMs) / 1000) * 1000;
      res.writeHead(429, {
        'content-type': 'application/json',
        date: new Date(teamsNow).toUTCString(),
        'retry-after': new Date(teamsNow + 2000).toUTCString(),
      });
      res.end('{"error":{"code":"Throttled","message":"slow down"}}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const baseUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = fitRetry(new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri }), kind, 15_000);
  return {
    client,
    sends,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("connector retry counts a Retry-After date from the answer's Date", function () {
  this.timeout(20_000);

  it("sends a throttled turn reply again after the 2 s asked, though the bot's clock is a minute behind Teams'", async () => {
    const connector = await skewedConnector(60_000, 'turn');
    try {
      await connector.client.conversations.sendToConversation('a:conv', { type: 'message', text: 'reply' });
      assert.equal(connector.sends.length, 2);
    } finally {
      await connector.close();
    }
  });

  it("sends a throttled edit again after the 2 s asked, though the bot's clock is a minute behind Teams'", async () => {
    const connector = await skewedConnector(60_000, 'proactive');
    try {
      await connector.client.conversations.updateActivity('a:conv', 'act-1', { type: 'message', id: 'act-1' });
      assert.equal(connector.sends.length, 2);
    } finally {
      await connector.close();
    }
  });

  for (const kind of ['turn', 'proactive'] as const) {
    it(`waits the 2 s asked before a ${kind} client sends again, though the bot's clock is a minute ahead`, async () => {
      const connector = await skewedConnector(-60_000, kind);
      try {
        if (kind === 'turn') {
          await connector.client.conversations.sendToConversation('a:conv', { type: 'message', text: 'reply' });
        } else {
          await connector.client.conversations.updateActivity('a:conv', 'act-1', { type: 'message', id: 'act-1' });
        }
        assert.equal(connector.sends.length, 2);
        // The date is whole seconds: the wait asked is 2 s less the part of a second already gone.
        assert.ok(connector.sends[1]! - connector.sends[0]! >= 1000, 'not sent again at once');
      } finally {
        await connector.close();
      }
    });
  }
});
