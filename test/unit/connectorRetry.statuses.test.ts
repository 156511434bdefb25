// Which Bot Connector answers a call other than a POST (a card edited in place, a roster read) is
// sent again after. Teams' table of the bot APIs' status codes marks 412, 429, 502, 503 and 504 for
// retry and says the "bot must avoid retrying status codes that aren't specified" (500 ServiceError
// is "Retry: No"; 408 is not listed):
// https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { fitRetry } from '../../src/bot/connectorRetry';

async function answering(statuses: number[]) {
  let calls = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = statuses[Math.min(calls, statuses.length - 1)]!;
      calls++;
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '0' } : {}) });
      res.end(status < 300 ? '{"id":"act-1"}' : '{"error":{"code":"ServiceError","message":"failed"}}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const baseUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = fitRetry(new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri }), 'proactive', 15_000);
  return {
    edit: () =>
      client.conversations.updateActivity('a:conv', 'act-1', { type: 'message', text: 'edited', id: 'act-1' }),
    calls: () => calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('connector retry of calls other than a POST', function () {
  this.timeout(20_000);

  for (const status of [500, 408]) {
    it(`does not send an edit again after a ${status}`, async () => {
      const connector = await answering([status, 200]);
      try {
        await assert.rejects(connector.edit());
        assert.equal(connector.calls(), 1);
      } finally {
        await connector.close();
      }
    });
  }

  it('sends an edit again after a 429 or a 502, as the table asks', async () => {
    const connector = await answering([429, 502, 200]);
    try {
      await connector.edit();
      assert.equal(connector.calls(), 3);
    } finally {
      await connector.close();
    }
  });
});
