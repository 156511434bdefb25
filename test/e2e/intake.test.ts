// The HTTP edge of the bot process as production starts it (inbound JWT validation on): the
// notification intake's body limit and error bodies, Entra keys that cannot be reached, and
// activities that cannot be answered. Activity fields and their types:
// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object
// Access-token validation: https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-tokens

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import { BotProcess, World, freePort, message, post, startBot, startWorld, userOf } from './harness';

/** POST without Content-Length (Transfer-Encoding: chunked), in 8 KiB pieces. */
function postChunked(url: string, token: string, text: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: body }));
    });
    req.on('error', reject);
    for (let i = 0; i < text.length; i += 8192) req.write(text.slice(i, i + 8192));
    req.end();
  });
}

describe('HTTP edge of the bot process', function () {
  this.timeout(90_000);
  let world: World;
  let bot: BotProcess;
  let host: string;

  const appToken = () =>
    world.tenant.issueAppToken({ audience: world.seed.app.clientId, roles: ['Notifications.Send'], host });
  const event = (eventId: string, extra: Record<string, unknown> = {}) => ({
    eventId,
    kind: 'roleRequest',
    target: { userId: userOf(world.seed, 0).aadObjectId },
    requestId: world.seed.examples.roleRequestId,
    ...extra,
  });
  const status = async (b: BotProcess, eventId: string) =>
    (await fetch(`${b.url}/api/notifications/${eventId}`, { headers: { authorization: `Bearer ${appToken()}` } }))
      .status;

  before(async () => {
    world = await startWorld();
    host = new URL(world.tenantServer.url).host;
    bot = await startBot(world, world.botEnv());
  });

  after(async () => {
    await bot?.stop();
    await world?.close();
  });

  it('answers 413 to a chunked event over 64 KiB and 202 to a small chunked one', async () => {
    const big = JSON.stringify(event('chunk-big', { principalName: 'x'.repeat(70_000) }));
    const r = await postChunked(`${bot.url}/api/notifications`, appToken(), big);
    assert.equal(r.status, 413, r.text);
    assert.equal(await status(bot, 'chunk-big'), 404, 'nothing was stored');
    const small = await postChunked(`${bot.url}/api/notifications`, appToken(), JSON.stringify(event('chunk-small')));
    assert.equal(small.status, 202, small.text);
  });

  it('answers malformed JSON with {"error","problems"}', async () => {
    const res = await fetch(`${bot.url}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${appToken()}` },
      body: '{"eventId": "half',
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['error', 'problems']);
  });

  it('authenticates an activity first (401), then refuses what cannot be answered (400)', async () => {
    const admin = userOf(world.seed, 0);
    const broken: Array<Record<string, unknown>> = [
      { ...message(world, admin, 'help'), serviceUrl: undefined },
      { ...message(world, admin, 'help'), conversation: null },
      { ...message(world, admin, 'help'), text: 42 },
      { ...message(world, admin, 'help'), from: { id: 7 } },
    ];
    for (const activity of broken) {
      assert.equal((await post(world, bot, activity, 'none')).status, 401, 'no token: 401 before anything else');
      const r = await post(world, bot, activity);
      assert.equal(r.status, 400, r.body);
      assert.ok(typeof (JSON.parse(r.body) as { error?: unknown }).error === 'string');
    }
    assert.equal(world.calls.filter((c) => c.method === 'POST').length, 0, 'no reply was sent for any of them');
  });

  it('answers 503 (retryable), not 401, when the Entra keys cannot be reached', async () => {
    // The authority is a loopback port nothing listens on: the metadata and keys cannot be read.
    const nowhere = `https://127.0.0.1:${await freePort()}`;
    const cut = await startBot(world, world.botEnv({ AAD_APP_OAUTH_AUTHORITY_HOST: nowhere }));
    try {
      const res = await fetch(`${cut.url}/api/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${appToken()}` },
        body: JSON.stringify(event('keys-down')),
      });
      assert.equal(res.status, 503);
      assert.ok(res.headers.get('retry-after'));
      assert.match(((await res.json()) as { error: string }).error, /try again later/);
    } finally {
      await cut.stop();
    }
  });
});
