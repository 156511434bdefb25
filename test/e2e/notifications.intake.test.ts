// Notification intake over real HTTP: Entra app-token authentication (this tenant, this app, the
// Notifications.Send role) and validation (every problem listed, oversize refused), with nothing
// stored for a refused event.

import { strict as assert } from 'node:assert';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { BotProcess, Who, World, userOf } from './harness';
import { notificationsSession } from './notificationsSession';

describe('notifications', function () {
  this.timeout(90_000);
  const session = notificationsSession();
  const { appToken, send, status, roleEvent } = session;
  let world: World;
  let bot: BotProcess;
  let admin: Who;
  let host: string;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, bot, host } = session);
    admin = userOf(world.seed, 0);
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
});
