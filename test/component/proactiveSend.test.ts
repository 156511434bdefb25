// The proactive send of the running app (botbuilder's CloudAdapter, continueConversationAsync)
// against a recording connector, driven by the delivery worker: a connector error must reach the
// worker, not be swallowed by the adapter's turn-error handler and recorded as delivered
// (issue 7.1). Connector API: https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#send-to-conversation
// Teams throttling: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { proactiveSender } from '../../src/bot/proactiveSender';
import { readConfig } from '../../src/config';
import { parseEvent } from '../../src/notifications/events';
import { recordingLogger } from '../fixtures/recordingLogger';
import { NotificationStore } from '../../src/notifications/store';
import { DeliveryWorker } from '../../src/notifications/worker';
import { createAdapter } from '../../src/bot/adapter';
import { CardBindings } from '../../src/state/cardBindings';
import { ConversationReferences } from '../../src/state/references';
import { SqliteState } from '../../src/state/sqlite';

const USER = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';

interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
}

/** A connector that answers every send with `answer` and records what it was sent. */
async function recordingConnector(answer: () => Answer) {
  const requests: Array<{ path: string; body: Record<string, unknown> }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString() || '{}') });
      const a = answer();
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.status < 300 ? { id: `act-${requests.length}` } : { error: { code: 'Refused' } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('proactive send through the adapter', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-proactive-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function deliverOnce(answer: () => Answer) {
    const connector = await recordingConnector(answer);
    const { logger, lines } = recordingLogger();
    const state = new SqliteState(path.join(dir, 'state.db'));
    const store = new NotificationStore(state);
    const references = new ConversationReferences(state.records);
    await references.remember(
      {
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 't' },
        bot: { id: '28:bot', name: 'Governance Bot' },
        user: { id: '29:user' },
      },
      USER,
      undefined,
    );
    await references.flush();
    const worker = new DeliveryWorker({
      store,
      references,
      bindings: new CardBindings(state.records),
      send: proactiveSender(createAdapter(readConfig({}), logger), ''),
      render: () => ({
        attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: {} },
        summary: 's',
      }),
      logger,
      pollMs: 5,
      backoffMs: () => 1,
      maxAttempts: 3,
    });
    const parsed = parseEvent({
      eventId: 'e1',
      kind: 'roleRequest',
      target: { userId: USER },
      requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
    });
    assert.ok(parsed.ok);
    await store.accept(parsed.event);
    worker.start();
    try {
      const deadline = Date.now() + 20_000;
      while ((await store.get('e1'))?.state === 'queued') {
        if (Date.now() > deadline) throw new Error('the event stayed queued');
        await new Promise((r) => setTimeout(r, 10));
      }
      return {
        record: (await store.get('e1'))!,
        reference: await references.forUser(USER),
        requests: connector.requests,
        events: lines.map((l) => l.event),
      };
    } finally {
      await worker.stop(1000);
      await state.close();
      await connector.close();
    }
  }

  it('delivers a new message (not a reply) and records the id Teams gave it', async () => {
    const r = await deliverOnce(() => ({ status: 201 }));
    assert.equal(r.record.state, 'delivered');
    assert.equal(r.record.activityId, 'act-1');
    assert.equal(r.requests.length, 1);
    assert.equal(r.requests[0]!.path, '/v3/conversations/a%3Apersonal-1/activities');
    assert.equal(r.requests[0]!.body.replyToId, undefined);
    assert.ok(r.events.includes('notification.delivered'));
  });

  for (const status of [403, 404, 400]) {
    it(`a ${status} is undeliverable with the reason, never delivered`, async () => {
      const r = await deliverOnce(() => ({ status }));
      assert.equal(r.record.state, 'undeliverable');
      assert.equal(r.record.activityId, undefined);
      assert.match(String(r.record.reason), new RegExp(`\\(${status}\\)`));
      assert.ok(!r.events.includes('notification.delivered'));
      assert.equal(r.requests.length, 1, 'not retried');
      // 403/404: the bot was removed or the user uninstalled the app, so the reference goes.
      assert.equal(r.reference === null, status !== 400);
    });
  }

  // The connector client retries nothing of a proactive send (connectorRetry.ts): each of the
  // worker's 3 attempts is one POST. The 503's Retry-After 0 keeps the worker's waits short.
  for (const [name, answer] of [
    ['503', { status: 503, headers: { 'retry-after': '0' } }],
    ['lasting 429', { status: 429 }],
  ] as const) {
    it(`a ${name} is retried, then undeliverable, never delivered`, async () => {
      const r = await deliverOnce(() => answer);
      assert.equal(r.record.state, 'undeliverable');
      assert.equal(r.record.attempts, 3);
      assert.match(String(r.record.reason), new RegExp(`after 3 attempts \\(last: ${answer.status}\\)`));
      assert.ok(!r.events.includes('notification.delivered'));
      assert.equal(r.requests.length, 3, 'one POST per attempt');
      assert.ok(r.reference, 'a passing failure keeps the reference');
    });
  }
});
