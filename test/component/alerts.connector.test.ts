// The fake Bot Connector that enforces the Teams limits, and the send scheduler driving it: every
// send made at the moment the scheduler reserved is accepted, for one instance or two sharing the
// SQLite store. Clocks are injected; nothing sleeps. Limits:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RecordsLogStore, SendScheduler } from '../../src/alerts/rateLimits';
import { SqliteState } from '../../src/state/sqlite';
import { LimitsConnector, startLimitsConnector } from '../fixtures/teamsLimitsConnector';

async function post(connector: LimitsConnector, channelId: string, text: string, tenantId = 'tenant-1') {
  const res = await fetch(`${connector.url}/v3/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      isGroup: true,
      channelData: { channel: { id: channelId }, tenant: { id: tenantId } },
      activity: { type: 'message', text },
    }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as unknown };
}

describe('alerts: the Teams-limits connector', () => {
  let clock = 1_000_000;
  let connector: LimitsConnector;
  let dir: string;
  const states: SqliteState[] = [];

  beforeEach(async () => {
    clock = 1_000_000;
    connector = await startLimitsConnector({
      now: () => clock,
      teams: { team1: [{ id: '19:g@thread.tacv2', name: 'General' }] },
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-alerts-'));
  });
  afterEach(async () => {
    await connector.close();
    for (const s of states.splice(0)) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the 8th send to a thread within a second with 429 and Retry-After, and counts no refusal', async () => {
    for (let i = 0; i < 7; i++) assert.equal((await post(connector, '19:a@thread.tacv2', `m${i}`)).status, 201);
    const refused = await post(connector, '19:a@thread.tacv2', 'm7');
    assert.equal(refused.status, 429);
    assert.equal(refused.retryAfter, '1');
    assert.equal((await post(connector, '19:b@thread.tacv2', 'other thread')).status, 201);
    clock += 1000;
    assert.equal((await post(connector, '19:a@thread.tacv2', 'm7 again')).status, 201);
    assert.equal(connector.accepted.length, 9);
    assert.deepEqual(
      connector.throttles.map((t) => t.why),
      ['thread'],
    );
  });

  it('refuses the 31st request of a tenant within a second, whatever the thread', async () => {
    for (let i = 0; i < 30; i++) assert.equal((await post(connector, `19:c${i}@thread.tacv2`, 'x')).status, 201);
    const refused = await post(connector, '19:fresh@thread.tacv2', 'x');
    assert.equal(refused.status, 429);
    assert.equal(connector.throttles[0]?.why, 'tenant');
    assert.equal((await post(connector, '19:fresh@thread.tacv2', 'x', 'tenant-2')).status, 201);
  });

  it('injects 429s on demand and lists the channels of a team', async () => {
    connector.injectThrottles(2, 3);
    const first = await post(connector, '19:a@thread.tacv2', 'x');
    assert.equal(first.status, 429);
    assert.equal(first.retryAfter, '3');
    assert.equal((await post(connector, '19:a@thread.tacv2', 'x')).status, 429);
    assert.equal((await post(connector, '19:a@thread.tacv2', 'x')).status, 201);
    const res = await fetch(`${connector.url}/v3/teams/team1/conversations`);
    assert.deepEqual(await res.json(), { conversations: [{ id: '19:g@thread.tacv2', name: 'General' }] });
  });

  // "The bot message size limit is 100 KB ... encoded as UTF-16 ... ensure that the size of the
  // message itself is within 80 KB to guarantee successful message delivery. If the bot message
  // exceeds the size limit, the bot receives a 413 status code (RequestEntityTooLarge), which
  // contains the error code MessageSizeTooBig."
  // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages
  it('refuses a message over 80 KB (UTF-16) with 413 MessageSizeTooBig, as a new thread, a send or an update', async () => {
    const big = 'x'.repeat(41 * 1024);
    const refused = await post(connector, '19:a@thread.tacv2', big);
    assert.equal(refused.status, 413);
    assert.deepEqual((refused.body as { error?: { code?: string } }).error?.code, 'MessageSizeTooBig');
    const conversation = encodeURIComponent('19:a@thread.tacv2;messageid=1');
    for (const [method, at] of [
      ['POST', `/v3/conversations/${conversation}/activities`],
      ['PUT', `/v3/conversations/${conversation}/activities/1`],
    ] as const) {
      const res = await fetch(`${connector.url}${at}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: big }),
      });
      assert.equal(res.status, 413, `${method} ${at}`);
      assert.equal(((await res.json()) as { error?: { code?: string } }).error?.code, 'MessageSizeTooBig');
    }
    assert.equal(connector.accepted.length, 0);
    assert.equal(connector.throttles.length, 0);
    // Refusals count against no limit; a message within the size is taken.
    assert.equal((await post(connector, '19:a@thread.tacv2', 'x'.repeat(39 * 1024))).status, 201);
  });

  it('records accepted activities so duplicates can be counted', async () => {
    await post(connector, '19:a@thread.tacv2', 'one');
    await post(connector, '19:b@thread.tacv2', 'one');
    await post(connector, '19:a@thread.tacv2', 'two');
    const byText = connector.duplicates((a) => `${a.threadId}|${String(a.activity.text)}`);
    assert.equal(byText.size, 0);
    await post(connector, '19:a@thread.tacv2', 'two');
    assert.deepEqual(
      [...connector.duplicates((a) => `${a.threadId}|${String(a.activity.text)}`)],
      [['19:a@thread.tacv2|two', 2]],
    );
  });

  it('accepts every send two scheduler instances sharing the SQLite store reserve', async () => {
    const stateA = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
    const stateB = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
    states.push(stateA, stateB);
    const a = new SendScheduler({ store: new RecordsLogStore(stateA.records), now: () => clock, marginMs: 0 });
    const b = new SendScheduler({ store: new RecordsLogStore(stateB.records), now: () => clock, marginMs: 0 });
    // 300 sends to 12 channels, reserved in interleaved batches by the two instances.
    const reserved: Array<{ at: number; channel: string; n: number }> = [];
    for (let batch = 0; batch < 10; batch++) {
      const slots = await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const n = batch * 30 + i;
          const channel = `19:ch${n % 12}@thread.tacv2`;
          return { at: await (i % 2 ? a : b).reserve('tenant-1', channel), channel, n };
        }),
      );
      reserved.push(...slots);
    }
    // Send each at its reserved moment, in time order, on the connector's clock.
    for (const s of reserved.sort((x, y) => x.at - y.at || x.n - y.n)) {
      clock = s.at;
      const res = await post(connector, s.channel, `n${s.n}`);
      assert.equal(res.status, 201, `send ${s.n} at +${s.at - 1_000_000} ms was refused`);
    }
    assert.equal(connector.accepted.length, 300);
    assert.equal(connector.throttles.length, 0);
    // The tenant ceiling is 30 per second: 300 sends need 10 seconds, and the schedule uses them.
    const span = Math.max(...reserved.map((r) => r.at)) - 1_000_000;
    assert.ok(span < 10_000 + 2_000, `300 sends spread over ${span} ms`);
  });
});
