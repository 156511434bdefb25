// The notification intake as README "Notifications" (part of ../shared/contract.md) states it, over
// real HTTP: an eventId may be 1-128 characters, and an accepted event's `status` URL answers GET
// with the same authentication as POST. Written from the README alone.

import { strict as assert } from 'node:assert';
import { BotProcess, Who, World, userOf } from './harness';
import { notificationsSession } from './notificationsSession';

describe('contract: notification intake', function () {
  this.timeout(60_000);
  const session = notificationsSession();
  const { send, roleEvent } = session;
  let world: World;
  let bot: BotProcess;
  let admin: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, bot } = session);
    admin = userOf(world.seed, 0);
  });

  const longestId = (letter: string) => letter.repeat(128);

  it('answers GET at the status URL of an accepted event whose eventId is 128 characters', async () => {
    // README: `eventId` (1-128 of letters, digits, `._:-`), POST answers 202 with
    // "status":"/api/notifications/{eventId}", and GET answers 200 for an accepted id.
    const eventId = longestId('a');
    const accepted = await send(bot, roleEvent(eventId, admin.aadObjectId));
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const statusUrl = String(accepted.body.status);
    const res = await fetch(`${bot.url}${statusUrl}`, {
      headers: { authorization: `Bearer ${session.appToken()}` },
    });
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.eventId, eventId);
    assert.ok(['queued', 'delivered', 'undeliverable'].includes(String(body.state)), String(body.state));
  });

  it('answers GET of a 128-character eventId of colons sent percent-encoded', async () => {
    // ":" is one of the README's characters; a client may encode each as "%3A" (RFC 3986 allows both).
    const eventId = 'c'.repeat(64) + ':'.repeat(64);
    const accepted = await send(bot, roleEvent(eventId, admin.aadObjectId));
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const res = await fetch(`${bot.url}/api/notifications/${encodeURIComponent(eventId)}`, {
      headers: { authorization: `Bearer ${session.appToken()}` },
    });
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.eventId, eventId);
  });

  it('answers GET of a valid eventId without a token with 401, whatever its length', async () => {
    // README, "Authentication" (GET: "Same authentication"): missing token: 401.
    for (const eventId of ['b', longestId('b')]) {
      const res = await fetch(`${bot.url}/api/notifications/${eventId}`);
      assert.equal(res.status, 401, `eventId of ${eventId.length} characters`);
    }
  });
});
