// Reading a team's channel list is sent again only after the answers Teams' table of status codes
// marks "Retry: Yes" (412, 429, 502, 503, 504), as every other connector call of the bot is
// (src/bot/connectorRetry.ts): "the bot must avoid retrying status codes that aren't specified",
// and 500 ServiceError is "Retry: No".
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
// The TeamsConnectorClient built for the read kept the SDK's own retry, which sent it up to four
// times after a 500 (or a 408, or any other 5xx).

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { teamChannels } from '../../src/bot/teamChannels';
import { TEAM, turnAt } from '../fixtures/connectorTurn';

/** A connector answering each channel list read with the next of `answers` (the last one after). */
async function answering(answers: ReadonlyArray<{ status: number; headers?: Record<string, string> }>) {
  const arrived: string[] = [];
  const server = http.createServer((req, res) => {
    const answer = answers[Math.min(arrived.length, answers.length - 1)]!;
    arrived.push(req.url ?? '');
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(
      answer.status === 200
        ? JSON.stringify({ conversations: [{ id: TEAM }, { id: '19:ops@thread.tacv2', name: 'Ops' }] })
        : JSON.stringify({ error: { code: answer.status === 500 ? 'ServiceError' : 'Other', message: 'no' } }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, arrived, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('team channel list retries', () => {
  for (const status of [500, 408]) {
    it(`a ${status} is not sent again`, async () => {
      const connector = await answering([{ status }, { status: 200 }]);
      try {
        await assert.rejects(teamChannels(turnAt(connector.url), TEAM, 10_000), { statusCode: status });
        assert.equal(connector.arrived.length, 1);
      } finally {
        await connector.close();
      }
    });
  }

  it('a 503 (listed "Retry: Yes") is sent again, and the list read', async () => {
    const connector = await answering([{ status: 503, headers: { 'retry-after': '0' } }, { status: 200 }]);
    try {
      const channels = await teamChannels(turnAt(connector.url), TEAM, 10_000);
      assert.deepEqual(
        channels.map((c) => c.name),
        ['General', 'Ops'],
      );
      assert.equal(connector.arrived.length, 2);
    } finally {
      await connector.close();
    }
  });
});
