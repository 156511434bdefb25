// Notification delivery over real HTTP when Teams pushes back or the process dies: a 429 ridden out
// honouring Retry-After, a card Teams refuses (403, 404, 400) undeliverable with the reason and never
// reported delivered, and an event accepted just before the process was killed delivered exactly
// once by a new process on the same state.

import { strict as assert } from 'node:assert';
import { BotProcess, Who, World, userOf } from './harness';
import { notificationsSession } from './notificationsSession';

describe('notifications', function () {
  this.timeout(90_000);
  const session = notificationsSession();
  const { send, status, until, roleEvent, install } = session;
  let world: World;
  let bot: BotProcess;
  let admin: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(async () => {
    ({ world, bot } = session);
    admin = userOf(world.seed, 0);
    // Megan has installed the app: the events sent to her below are deliverable but for Teams.
    await install(admin);
  });

  it('rides out a Teams 429 honouring Retry-After, and delivers once', async () => {
    world.connectorFaults.push({ status: 429, retryAfter: '1' });
    const hitsBefore = world.faultHits;
    const t0 = Date.now();
    assert.equal(
      (await send(bot, roleEvent('throttled-1', admin.aadObjectId, '95c690fb-3eb3-4942-a03f-4524aed6f31f'))).status,
      202,
    );
    await until(bot, 'throttled-1', 'delivered');
    assert.equal(world.faultHits - hitsBefore, 1);
    assert.ok(Date.now() - t0 >= 1000, 'waited at least Retry-After');
    // Counted once nothing more can be sent for it (the outbox holds no row of it), not at once.
    await session.outboxEmptied();
    const sent = world.calls.filter(
      (c) => c.method === 'POST' && JSON.stringify(c.activity).includes('95c690fb-3eb3-4942-a03f-4524aed6f31f'),
    );
    assert.equal(sent.length, 1);
  });

  it('a card Teams refuses (403, 404, 400) is undeliverable with the reason, never reported delivered', async () => {
    // Issue 7.1: the adapter's turn-error handler used to swallow the connector's error, so these
    // were stored "delivered" with no activity id. Connector errors:
    // https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#error-codes
    // and Teams' codes in the body (the 403 and 404 here: the conversation refuses the bot):
    // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
    const nestor = userOf(world.seed, 5);
    const codes: Record<number, string> = {
      403: 'BotNotInConversationRoster',
      404: 'ConversationNotFound',
      400: 'BadArgument',
    };
    for (const status of [403, 404, 400]) {
      await install(nestor);
      world.connectorFaults.push({ status, code: codes[status] });
      const eventId = `refused-${status}`;
      assert.equal((await send(bot, roleEvent(eventId, nestor.aadObjectId))).status, 202);
      const s = await until(bot, eventId, 'undeliverable');
      assert.match(String(s.reason), new RegExp(`\\(${status}[ )]`));
      assert.equal(s.activityId, undefined);
      const delivered = bot.lines().filter((l) => l.event === 'notification.delivered' && l.eventId === eventId);
      assert.deepEqual(delivered, [], 'never logged as delivered');
    }
    // After a 400 the reference is kept (the card was at fault, not the conversation) ...
    assert.equal((await send(bot, roleEvent('after-400', nestor.aadObjectId))).status, 202);
    await until(bot, 'after-400', 'delivered');
    // ... and after a 403 InvalidBotApiHost (the bot's own deployment, not her chat) ...
    world.connectorFaults.push({ status: 403, code: 'InvalidBotApiHost' });
    assert.equal((await send(bot, roleEvent('deployment-403', nestor.aadObjectId))).status, 202);
    assert.match(String((await until(bot, 'deployment-403', 'undeliverable')).reason), /InvalidBotApiHost/);
    assert.equal((await send(bot, roleEvent('after-deployment-403', nestor.aadObjectId))).status, 202);
    await until(bot, 'after-deployment-403', 'delivered');
    // ... after a 403 BotNotInConversationRoster it is forgotten: the bot was removed or the user
    // uninstalled the app.
    world.connectorFaults.push({ status: 403, code: 'BotNotInConversationRoster' });
    assert.equal((await send(bot, roleEvent('refused-again', nestor.aadObjectId))).status, 202);
    await until(bot, 'refused-again', 'undeliverable');
    assert.equal((await send(bot, roleEvent('after-403', nestor.aadObjectId))).status, 202);
    assert.match(String((await until(bot, 'after-403', 'undeliverable')).reason), /not installed/);
  });

  it('delivers, exactly once, an event accepted just before the process was killed', async () => {
    // Teams answers 412 with Retry-After 3 s, so the event waits in the outbox (no lease held)
    // when the process dies; a new process on the same state delivers it when it is due.
    world.connectorFaults.push({ status: 412, retryAfter: '3' });
    assert.equal(
      (await send(bot, roleEvent('crash-1', admin.aadObjectId, '95c690fb-3eb3-4942-a03f-4524aed6f320'))).status,
      202,
    );
    const deadline = Date.now() + 15_000;
    while (((await status(bot, 'crash-1')).body.attempts as number) < 1) {
      assert.ok(Date.now() < deadline, 'the first attempt was made');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal((await status(bot, 'crash-1')).body.state, 'queued');
    bot.child.kill('SIGKILL');
    await new Promise((r) => bot.child.once('exit', r));
    world.connectorFaults.length = 0;
    bot = await session.startAgain();
    await until(bot, 'crash-1', 'delivered');
    // Exactly once means after everything is settled: a second send would keep a row in the outbox.
    await session.outboxEmptied();
    const delivered = world.calls.filter(
      (c) => c.method === 'POST' && JSON.stringify(c.activity).includes('95c690fb-3eb3-4942-a03f-4524aed6f320'),
    );
    assert.equal(delivered.length, 1);
  });
});
