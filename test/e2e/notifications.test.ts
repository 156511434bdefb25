// Notification intake and delivery over real HTTP: Entra app-token authentication, validation,
// idempotency, durable acceptance, delivery to a user and to a channel, Teams throttling, and
// delivery after the process was killed between acceptance and delivery.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { BotProcess, Who, World, message, post, startBot, startWorld, userOf } from './harness';

describe('notifications', function () {
  this.timeout(90_000);
  let world: World;
  let bot: BotProcess;
  let stateDir: string;
  let admin: Who;
  let adele: Who;
  let host: string;

  const appToken = (roles: string[] = ['Notifications.Send'], audience?: string) =>
    world.tenant.issueAppToken({ audience: audience ?? world.seed.app.clientId, roles, host });

  async function send(b: BotProcess, body: unknown, token: string | null = appToken()) {
    const res = await fetch(`${b.url}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  }

  async function status(b: BotProcess, eventId: string) {
    const res = await fetch(`${b.url}/api/notifications/${encodeURIComponent(eventId)}`, {
      headers: { authorization: `Bearer ${appToken()}` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function until(b: BotProcess, eventId: string, state: string, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await status(b, eventId);
      if (s.body.state === state) return s.body;
      if (Date.now() > deadline) throw new Error(`event ${eventId} stayed ${String(s.body.state)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const roleEvent = (eventId: string, userId: string, requestId = world.seed.examples.roleRequestId) => ({
    eventId,
    kind: 'roleRequest',
    target: { userId },
    requestId,
    principalName: 'Adele Vance',
    roleName: 'Global Administrator',
    duration: '8 hours',
  });

  const runEvent = (eventId: string, channelId: string) => ({
    eventId,
    kind: 'workflowRun',
    target: { channelId },
    workflowId: world.seed.examples.workflowId,
    runId: world.seed.examples.runId,
    workflowName: 'Onboard new hires',
  });

  async function install(who: Who): Promise<void> {
    const activity = {
      ...message(world, who, ''),
      type: 'installationUpdate',
      action: 'add',
      text: undefined,
    };
    assert.equal((await post(world, bot, activity)).status, 200);
  }

  before(async () => {
    world = await startWorld();
    host = new URL(world.tenantServer.url).host;
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-notify-'));
    bot = await startBot(world, world.botEnv({ STATE_DIRECTORY: stateDir }));
    admin = userOf(world.seed, 0);
    adele = userOf(world.seed, 1);
  });

  after(async () => {
    await bot?.stop();
    await world?.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('accepts only an Entra token of this tenant, for this app, with the Notifications.Send role', async () => {
    const event = roleEvent('auth-1', admin.aadObjectId);
    assert.equal((await send(bot, event, null)).status, 401);
    assert.equal((await send(bot, event, appToken([]))).status, 403);
    assert.equal(
      (await send(bot, event, appToken(['Notifications.Send'], '11111111-1111-1111-1111-111111111111'))).status,
      401,
    );
    const stranger = new SimulatedTenant(loadDemoSeed()).issueAppToken({
      audience: world.seed.app.clientId,
      roles: ['Notifications.Send'],
      host,
    });
    assert.equal((await send(bot, event, stranger)).status, 401);
    const other = world.tenant.issueAppToken({
      audience: world.seed.app.clientId,
      roles: ['Notifications.Send'],
      host,
      tenantId: '99999999-9999-4999-8999-999999999999',
    });
    assert.equal((await send(bot, event, other)).status, 401);
    assert.equal((await status(bot, 'auth-1')).status, 404, 'nothing was stored');
  });

  it('lists every problem of a bad event with 400, and refuses oversize events with 413', async () => {
    const bad = await send(bot, {
      eventId: 'has spaces',
      kind: 'roleRequest',
      target: { userId: 'nope' },
      requestId: '123',
      roleName: 5,
    });
    assert.equal(bad.status, 400);
    const problems = bad.body.problems as string[];
    assert.ok(problems.length >= 4, JSON.stringify(problems));
    assert.ok(problems.some((p) => p.includes('eventId')));
    assert.ok(problems.some((p) => p.includes('target.userId')));
    assert.ok(problems.some((p) => p.includes('requestId')));
    assert.ok(problems.some((p) => p.includes('roleName')));
    const callout = await send(bot, {
      eventId: 'c-1',
      kind: 'taskCallout',
      target: { userId: admin.aadObjectId },
      callout: { data: { callbackUriPath: '/somewhere/else' } },
    });
    assert.equal(callout.status, 400);
    const huge = await send(bot, { ...roleEvent('big-1', admin.aadObjectId), principalName: 'x'.repeat(70_000) });
    assert.equal(huge.status, 413);
    assert.equal((await status(bot, 'big-1')).status, 404);
  });

  it('says why an event is undeliverable when the recipient never installed the app', async () => {
    const r = await send(bot, roleEvent('no-install-1', adele.aadObjectId));
    assert.equal(r.status, 202);
    const s = await until(bot, 'no-install-1', 'undeliverable');
    assert.match(String(s.reason), /not installed/);
  });

  it('delivers a card with buttons to a user who installed the app, once per eventId', async () => {
    await install(admin);
    const first = await send(bot, roleEvent('deliver-1', admin.aadObjectId));
    const again = await send(bot, roleEvent('deliver-1', admin.aadObjectId));
    assert.equal(first.status, 202);
    assert.equal(again.status, 202);
    assert.equal(again.body.accepted, 'duplicate');
    const s = await until(bot, 'deliver-1', 'delivered');
    assert.ok(s.activityId, 'the delivered activity id is reported');
    await new Promise((r) => setTimeout(r, 300));
    const cards = world.calls.filter(
      (c) => c.method === 'POST' && JSON.stringify(c.activity).includes('Adele Vance requested Global Administrator'),
    );
    assert.equal(cards.length, 1, 'delivered once');
    const card = JSON.stringify(cards[0]!.activity);
    assert.match(card, /Action\.Execute/);
    assert.match(card, /"verb":"governance\.act"/);
    assert.match(card, /Action\.Submit/);
    assert.ok(typeof cards[0]!.activity.summary === 'string');
  });

  it('delivers a custom task extension callout (the real payload shape) with Approve and Reject', async () => {
    const e = world.seed.examples;
    const callout = {
      source: 'Lifecycle Workflows',
      type: 'lifecycleEvent',
      data: {
        '@odata.type': '#microsoft.graph.identityGovernance.customTaskExtensionCalloutData',
        subject: { id: adele.aadObjectId, displayName: 'Adele Vance' },
        task: { id: e.taskId, displayName: 'Order a laptop' },
        taskProcessingResult: { id: e.taskProcessingResultId },
        workflow: { id: e.taskWorkflowId, displayName: 'Onboard new hires' },
        callbackUriPath: `/identityGovernance/lifecycleWorkflows/workflows/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults/${e.taskProcessingResultId}/microsoft.graph.identityGovernance.resume`,
      },
    };
    assert.equal(
      (await send(bot, { eventId: 'callout-1', kind: 'taskCallout', target: { userId: admin.aadObjectId }, callout }))
        .status,
      202,
    );
    await until(bot, 'callout-1', 'delivered');
    const call = world.calls.find((c) => JSON.stringify(c.activity).includes('Order a laptop for Adele Vance'));
    assert.ok(call);
    const text = JSON.stringify(call.activity);
    assert.match(text, /"title":"Approve"/);
    assert.match(text, /"title":"Reject"/);
  });

  it('posts a new thread to a channel where the bot was mentioned', async () => {
    const channelMsg = message(world, admin, 'help', 'channel', '19:ops-alerts@thread.tacv2');
    assert.equal((await post(world, bot, channelMsg)).status, 200);
    const r = await send(bot, runEvent('channel-1', '19:ops-alerts@thread.tacv2'));
    assert.equal(r.status, 202);
    const s = await until(bot, 'channel-1', 'delivered');
    assert.equal(s.conversationId, '19:ops-alerts@thread.tacv2');
    const posted = world.calls.filter(
      (c) =>
        c.conversationId === '19:ops-alerts@thread.tacv2' && JSON.stringify(c.activity).includes('Onboard new hires'),
    );
    assert.equal(posted.length, 1, JSON.stringify(world.calls.slice(-3).map((c) => [c.method, c.path])));
    assert.equal(posted[0]!.activityId, null, `a new thread, not a reply: ${posted[0]!.path}`);
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
    const sent = world.calls.filter(
      (c) => c.method === 'POST' && JSON.stringify(c.activity).includes('95c690fb-3eb3-4942-a03f-4524aed6f31f'),
    );
    assert.equal(sent.length, 1);
  });

  it('forgets a user who removed the app: later events are undeliverable, with the reason', async () => {
    const patti = userOf(world.seed, 4);
    await install(patti);
    assert.equal((await send(bot, roleEvent('patti-1', patti.aadObjectId))).status, 202);
    await until(bot, 'patti-1', 'delivered');
    const removal = { ...message(world, patti, ''), type: 'installationUpdate', action: 'remove', text: undefined };
    assert.equal((await post(world, bot, removal)).status, 200);
    assert.equal((await send(bot, roleEvent('patti-2', patti.aadObjectId))).status, 202);
    const s = await until(bot, 'patti-2', 'undeliverable');
    assert.match(String(s.reason), /not installed/);
  });

  it('forgets the channels of a team the app was removed from', async () => {
    const channel = '19:team-ops@thread.tacv2';
    assert.equal((await post(world, bot, message(world, admin, 'help', 'channel', channel))).status, 200);
    assert.equal((await send(bot, runEvent('team-1', channel))).status, 202);
    await until(bot, 'team-1', 'delivered');
    // Removal from the team arrives in the team's General channel, not in the channel itself.
    const removal = {
      ...message(world, admin, '', 'channel', '19:general@thread.tacv2'),
      type: 'installationUpdate',
      action: 'remove',
      text: undefined,
      entities: [],
    };
    assert.equal((await post(world, bot, removal)).status, 200);
    assert.equal((await send(bot, runEvent('team-2', channel))).status, 202);
    const s = await until(bot, 'team-2', 'undeliverable');
    assert.match(String(s.reason), /not installed in the team/);
  });

  it('a card Teams refuses (403, 404, 400) is undeliverable with the reason, never reported delivered', async () => {
    // Issue 7.1: the adapter's turn-error handler used to swallow the connector's error, so these
    // were stored "delivered" with no activity id. Connector errors:
    // https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#error-codes
    const nestor = userOf(world.seed, 5);
    for (const status of [403, 404, 400]) {
      await install(nestor);
      world.connectorFaults.push({ status });
      const eventId = `refused-${status}`;
      assert.equal((await send(bot, roleEvent(eventId, nestor.aadObjectId))).status, 202);
      const s = await until(bot, eventId, 'undeliverable');
      assert.match(String(s.reason), new RegExp(`\\(${status}\\)`));
      assert.equal(s.activityId, undefined);
      const delivered = bot.lines().filter((l) => l.event === 'notification.delivered' && l.eventId === eventId);
      assert.deepEqual(delivered, [], 'never logged as delivered');
    }
    // After a 400 the reference is kept (the card was at fault, not the conversation) ...
    assert.equal((await send(bot, roleEvent('after-400', nestor.aadObjectId))).status, 202);
    await until(bot, 'after-400', 'delivered');
    // ... after a 403 it is forgotten: the bot was removed or the user uninstalled the app.
    world.connectorFaults.push({ status: 403 });
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
    bot = await startBot(world, world.botEnv({ STATE_DIRECTORY: stateDir }));
    await until(bot, 'crash-1', 'delivered');
    const delivered = world.calls.filter(
      (c) => c.method === 'POST' && JSON.stringify(c.activity).includes('95c690fb-3eb3-4942-a03f-4524aed6f320'),
    );
    assert.equal(delivered.length, 1);
  });
});
