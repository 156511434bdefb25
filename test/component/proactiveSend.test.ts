// The proactive send of the running app (botbuilder's CloudAdapter, continueConversationAsync)
// against a recording connector, driven by the delivery worker: a connector error must reach the
// worker, not be swallowed by the adapter's turn-error handler and recorded as delivered
// (issue 7.1). Connector API: https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#send-to-conversation
// Teams throttling: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
// Teams' refusals, told apart by the error code of the body (`{"error":{"code","message"}}`):
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis

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
  /** The body's error code ('Refused', no code Teams documents, unless given). */
  readonly code?: string;
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
      res.end(
        JSON.stringify(
          a.status < 300
            ? { id: `act-${requests.length}` }
            : { error: { code: a.code ?? 'Refused', message: 'The connector refused the activity.' } },
        ),
      );
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

  const deliverOnce = async (answer: () => Answer) => {
    const { records, ...rest } = await deliverEach(answer, ['e1']);
    return { record: records[0]!, ...rest };
  };

  /** Delivers the events one after the other (each settled before the next is accepted). */
  async function deliverEach(answer: () => Answer, eventIds: readonly string[]) {
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
      servedTenant: null,
      pollMs: 5,
      backoffMs: () => 1,
      maxAttempts: 3,
    });
    worker.start();
    try {
      const records = [];
      for (const eventId of eventIds) {
        const parsed = parseEvent({
          eventId,
          kind: 'roleRequest',
          target: { userId: USER },
          requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
        });
        assert.ok(parsed.ok);
        await store.accept(parsed.event);
        worker.kick();
        const deadline = Date.now() + 20_000;
        while ((await store.get(eventId))?.state === 'queued') {
          if (Date.now() > deadline) throw new Error('the event stayed queued');
          await new Promise((r) => setTimeout(r, 10));
        }
        records.push((await store.get(eventId))!);
      }
      return {
        records,
        reference: await references.forUser(USER),
        requests: connector.requests,
        events: lines.map((l) => l.event),
        lines,
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
      // 403/404 with no code Teams documents: read as the conversation refusing the bot (the
      // table's other 403s and 404s all mean that), so the reference goes.
      assert.equal(r.reference === null, status !== 400);
    });
  }

  // Refusals by the conversation itself: the bot left the chat, was blocked, or the chat is gone.
  // Teams says to stop posting there until the user reaches the bot again, so the reference goes.
  for (const [status, code] of [
    [403, 'BotNotInConversationRoster'],
    [403, 'ConversationBlockedByUser'],
    [404, 'ConversationNotFound'],
  ] as const) {
    it(`a ${status} ${code} is undeliverable, naming the code, and forgets the recipient`, async () => {
      const r = await deliverOnce(() => ({ status, code }));
      assert.equal(r.record.state, 'undeliverable');
      assert.match(String(r.record.reason), new RegExp(`\\(${status} ${code}\\)`));
      assert.equal(r.reference, null);
    });
  }

  // Faults of the bot's own deployment (the public endpoint called for a GCC tenant's chat, a
  // permission the bot lacks): every user's send would be refused alike, so forgetting them would
  // only make everyone open the bot again once an administrator fixed it.
  for (const code of ['InvalidBotApiHost', 'NotEnoughPermissions']) {
    it(`a 403 ${code} is undeliverable, naming the code and the fix, logged, and keeps the recipient`, async () => {
      let answers = 0;
      const r = await deliverEach(() => (answers++ === 0 ? { status: 403, code } : { status: 201 }), ['e1', 'e2']);
      const [refused, later] = r.records;
      assert.equal(refused?.state, 'undeliverable');
      assert.match(String(refused?.reason), new RegExp(`\\(403 ${code}\\)`));
      assert.match(String(refused?.reason), /administrator/);
      const logged = r.lines.filter((l) => l.event === 'notification.deploymentFault');
      assert.deepEqual(
        logged.map((l) => [l.eventId, l.status, l.code]),
        [['e1', 403, code]],
      );
      assert.ok(r.reference, 'the reference is kept');
      assert.equal(later?.state, 'delivered', 'a later event to the same user is sent');
      assert.equal(r.requests.length, 2);
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
