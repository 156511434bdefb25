// README "POST /api/notifications" (part of ../shared/contract.md), written from the README alone:
// "optional `title` (≤ 200) and `details` (≤ 1000)", and the bot's own 400 says "title must be at
// most 200 characters". A character outside the Basic Multilingual Plane (here U+20000, one CJK
// ideograph, one Unicode code point and one grapheme) is one character, though JavaScript strings
// hold it as two UTF-16 code units: a title of 200 of them is within the limit.

import { strict as assert } from 'node:assert';
import { BotProcess, Who, World, userOf } from './harness';
import { notificationsSession } from './notificationsSession';

const IDEOGRAPH = '\u{20000}';

describe('contract: notification title and details lengths count characters', function () {
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

  it('accepts a title of 200 and details of 1000 characters outside the Basic Multilingual Plane', async () => {
    const title = IDEOGRAPH.repeat(200);
    const details = IDEOGRAPH.repeat(1000);
    assert.equal([...title].length, 200);
    assert.equal([...details].length, 1000);
    const answer = await send(bot, { ...roleEvent('lengths-astral', admin.aadObjectId), title, details });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
  });
});
