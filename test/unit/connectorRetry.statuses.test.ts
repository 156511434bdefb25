// Which Bot Connector answers and broken connections a call is sent again after: a call other than
// a POST (a card edited in place, a roster read), and a turn reply. Teams' table of the bot APIs'
// status codes marks 412, 429, 502, 503 and 504 for retry and says the "bot must avoid retrying
// status codes that aren't specified" (500 ServiceError is "Retry: No"; 408 is not listed):
// https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RestError } from '@azure/core-rest-pipeline';
import type { Pipeline } from '@azure/core-rest-pipeline';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { fitRetry } from '../../src/bot/connectorRetry';
import { classifySendError } from '../../src/notifications/delivery';

async function answering(
  statuses: number[],
  kind: 'proactive' | 'turn' = 'proactive',
  retryAfter: string | null = '0',
) {
  let calls = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = statuses[Math.min(calls, statuses.length - 1)]!;
      calls++;
      const asked = status === 429 && retryAfter !== null ? { 'retry-after': retryAfter } : {};
      res.writeHead(status, { 'content-type': 'application/json', ...asked });
      res.end(status < 300 ? '{"id":"act-1"}' : '{"error":{"code":"ServiceError","message":"failed"}}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const baseUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = fitRetry(new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri }), kind, 15_000);
  const broken: string[] = [];
  // Sends that fail before reaching the server, as core-rest-pipeline's Node client reports a
  // socket's error: a RestError carrying the socket's code. Below the retry, so each send meets it.
  (client as unknown as { client: { pipeline: Pipeline } }).client.pipeline.addPolicy(
    {
      name: 'brokenConnection',
      sendRequest: (request, next) => {
        const code = broken.shift();
        if (code === undefined) return next(request);
        return Promise.reject(new RestError(`socket failed: ${code}`, { code, request }));
      },
    },
    { phase: 'Sign' },
  );
  return {
    /** The next sends fail with these socket error codes. */
    breakWith: (...codes: string[]) => broken.push(...codes),
    edit: () =>
      client.conversations.updateActivity('a:conv', 'act-1', { type: 'message', text: 'edited', id: 'act-1' }),
    read: () => client.conversations.getConversationMember('a:conv', '29:user'),
    post: () => client.conversations.sendToConversation('a:conv', { type: 'message', text: 'card' }),
    typing: () => client.conversations.replyToActivity('a:conv', 'act-0', { type: 'typing' }),
    calls: () => calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('connector retry, by method and failure', function () {
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

  // A PUT or a GET may be sent again whether or not the first send reached Teams (RFC 9110 §9.2.2,
  // https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2). EPIPE: the connector closed the socket
  // while the request was written; EAI_AGAIN: a DNS lookup that failed for now, so nothing was
  // sent (https://nodejs.org/api/errors.html#common-system-errors, and getaddrinfo's codes).
  for (const code of ['EPIPE', 'EAI_AGAIN', 'ECONNRESET']) {
    it(`sends an edit and a roster read again after a broken connection (${code})`, async () => {
      const connector = await answering([200]);
      try {
        connector.breakWith(code);
        await connector.edit();
        connector.breakWith(code);
        await connector.read();
        assert.equal(connector.calls(), 2, 'each reached Teams on its second send');
      } finally {
        await connector.close();
      }
    });
  }

  it('never sends a proactive POST again inside the client, whatever broke (the delivery worker decides)', async () => {
    const connector = await answering([200]);
    try {
      for (const code of ['EPIPE', 'EAI_AGAIN']) {
        connector.breakWith(code);
        await assert.rejects(connector.post(), (e: unknown) => {
          assert.equal((e as RestError).code, code);
          // No answer at all: the outbox sends it again later, counting the attempt.
          assert.equal(classifySendError(e).kind, 'retry');
          return true;
        });
      }
      assert.equal(connector.calls(), 0);
    } finally {
      await connector.close();
    }
  });

  // A turn reply (a POST) is sent again only when nothing of it can have reached Teams: the DNS
  // lookup failed for now (EAI_AGAIN) or the connection was refused. After EPIPE or a reset Teams
  // may have taken it, and a second send could show the answer twice.
  for (const code of ['EAI_AGAIN', 'ECONNREFUSED']) {
    it(`sends a turn reply again, once, after ${code} (nothing was sent)`, async () => {
      const connector = await answering([200], 'turn');
      try {
        connector.breakWith(code);
        await connector.post();
        assert.equal(connector.calls(), 1, 'the second send reached Teams');
        connector.breakWith(code, code);
        await assert.rejects(connector.post(), (e: unknown) => (e as RestError).code === code);
        assert.equal(connector.calls(), 1, 'once only');
      } finally {
        await connector.close();
      }
    });
  }

  // A 429 is a request Teams throttled, that is did not process; its rate-limit page asks for
  // "appropriate backoff behavior", "an exponential backoff with a random jitter", and names no
  // Retry-After: a throttled reply without one is sent again once after a backoff, not dropped.
  // https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
  // A 412 is a precondition that "evaluated to false", which prevents "the request method from being
  // applied" (RFC 9110 §15.5.13, https://www.rfc-editor.org/rfc/rfc9110#name-412-precondition-failed),
  // and Teams' status table marks it for retry with backoff (the page above): like a 429, a reply it
  // answered so was not taken, and is sent again once.
  for (const [status, taken] of [
    [429, 'a 429 without Retry-After'],
    [412, 'a 412'],
  ] as const) {
    it(`sends a turn reply again, once, after ${taken}, having waited a backoff`, async () => {
      const connector = await answering([status, 201], 'turn', null);
      try {
        const started = Date.now();
        await connector.post();
        assert.equal(connector.calls(), 2, 'the second send reached Teams');
        assert.ok(Date.now() - started >= 500, `sent again after ${Date.now() - started} ms`);
      } finally {
        await connector.close();
      }
      const lasting = await answering([status], 'turn', null);
      try {
        await assert.rejects(lasting.post(), (e: unknown) => (e as RestError).statusCode === status);
        assert.equal(lasting.calls(), 2, 'once only');
      } finally {
        await lasting.close();
      }
    });
  }

  for (const status of [500, 502, 503, 504]) {
    it(`never sends a turn reply again after a ${status} (Teams may have taken it)`, async () => {
      const connector = await answering([status, 201], 'turn');
      try {
        await assert.rejects(connector.post(), (e: unknown) => (e as RestError).statusCode === status);
        assert.equal(connector.calls(), 1);
      } finally {
        await connector.close();
      }
    });
  }

  for (const code of ['EPIPE', 'ECONNRESET']) {
    it(`never sends a turn reply again after ${code} (Teams may have taken it)`, async () => {
      const connector = await answering([200], 'turn');
      try {
        connector.breakWith(code);
        await assert.rejects(connector.post(), (e: unknown) => (e as RestError).code === code);
        await connector.post();
        assert.equal(connector.calls(), 1, 'only the next reply was sent');
      } finally {
        await connector.close();
      }
    });
  }

  // A typing indicator is best effort: sent again after a 429's Retry-After it only adds to the
  // throttled traffic (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit)
  // and, waited for by the turn, holds back the reply it announces.
  it('never sends a typing indicator again, after a 429 or a failure that sent nothing', async () => {
    const connector = await answering([429, 200], 'turn');
    try {
      await assert.rejects(connector.typing(), (e: unknown) => (e as RestError).statusCode === 429);
      assert.equal(connector.calls(), 1, 'not sent again after the 429');
      connector.breakWith('ECONNREFUSED');
      await assert.rejects(connector.typing(), (e: unknown) => (e as RestError).code === 'ECONNREFUSED');
      assert.equal(connector.calls(), 1, 'not sent again after a refused connection');
      await connector.post();
      assert.equal(connector.calls(), 2, 'the reply itself still goes');
    } finally {
      await connector.close();
    }
  });
});
