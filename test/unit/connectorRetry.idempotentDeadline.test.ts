// A call other than a POST (a card edited in place, a roster read) is sent again after a 429,
// waiting its Retry-After (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit;
// the status code table marks 429 for retry:
// https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis),
// but only when that wait ends within the call's deadline. A wait that cannot end in time would
// only hold the turn (a click's answer waits on its card edit) until the deadline cut it, and the
// caller would hear of a timeout instead of the 429 and its Retry-After: it goes to the caller at
// once, as a turn reply's 429 does.

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { fitRetry } from '../../src/bot/connectorRetry';
import { withDeadline } from '../../src/bot/connectorDeadline';

describe('connector retry of calls other than a POST, within the deadline', function () {
  this.timeout(20_000);

  for (const kind of ['turn', 'proactive'] as const) {
    it(`a ${kind} edit answered 429 with a Retry-After past the deadline: the 429 reaches the caller, sent once`, async () => {
      let calls = 0;
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          calls++;
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3600' });
          res.end('{"error":{"code":"Throttled","message":"slow down"}}');
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      try {
        const baseUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const deadlineMs = 3_000;
        const client = withDeadline(
          fitRetry(new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri }), kind, deadlineMs),
          deadlineMs,
        );
        const error = await client.conversations
          .updateActivity('a:conv', 'act-1', { type: 'message', text: 'edited', id: 'act-1' })
          .then(
            () => null,
            (e: unknown) => e as { statusCode?: number; name?: string },
          );
        assert.equal(error?.statusCode, 429, `the caller heard ${error?.name ?? 'nothing'}`);
        assert.equal(calls, 1);
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    });
  }
});
