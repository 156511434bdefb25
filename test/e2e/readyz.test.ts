// /readyz on a real bot process: ready only while the state store takes writes and Microsoft Entra
// ID's token service for the SSO app's tenant answers (every sign-in needs it).

import { strict as assert } from 'node:assert';
import { BotProcess, World, freePort, startBot, startWorld } from './harness';

describe('/readyz', function () {
  this.timeout(60_000);
  let world: World;
  const bots: BotProcess[] = [];
  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    for (const b of bots) await b.stop();
    await world?.close();
  });

  it('is ready with the store and Entra reachable', async () => {
    const bot = await startBot(world, world.botEnv());
    bots.push(bot);
    const res = await fetch(`${bot.url}/readyz`);
    assert.equal(res.status, 200);
  });

  it('is not ready (503, nothing internal) when Entra cannot be reached; /healthz still answers', async () => {
    const nobody = `https://127.0.0.1:${await freePort()}`;
    const bot = await startBot(world, world.botEnv({ AAD_APP_OAUTH_AUTHORITY_HOST: nobody }));
    bots.push(bot);
    const res = await fetch(`${bot.url}/readyz`);
    const text = await res.text();
    assert.equal(res.status, 503);
    assert.ok(!text.includes('127.0.0.1'), text);
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
  });
});
