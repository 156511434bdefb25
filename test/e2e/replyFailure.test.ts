// A turn whose answer Teams does not take after its action was made: the bot must not then tell the
// user that nothing was changed. Teams' connector can refuse a send (a 5xx, or a card it rejects:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit); the cancel
// already happened in Graph by then, so the only honest follow-up says what was done.

import { strict as assert } from 'node:assert';
import { addBenchUsers, freshRoleRequest, signIn } from '../../bench/users';
import { BotProcess, Who, World, cardText, message, post, startBot, startWorld } from './harness';

describe('an answer Teams does not take after the action was made', function () {
  this.timeout(60_000);
  let world: World;
  let bot: BotProcess;
  let user: Who;
  const conversation = () => `a:personal-${user.aadObjectId}`;

  before(async () => {
    world = await startWorld();
    bot = await startBot(world, world.botEnv());
    [user] = addBenchUsers(world, 1) as [Who];
    await signIn(world, bot, user);
  });

  afterEach(() => {
    world.connectorRefuses = null;
  });

  after(async () => {
    await bot?.stop();
    await world?.close();
  });

  /** What the bot got through to the user's chat since `from`: text and card text. */
  const saidSince = (from: number): string[] =>
    world.calls
      .slice(from)
      .filter((c) => c.conversationId === conversation() && c.method === 'POST')
      .map((c) => `${String(c.activity.text ?? '')} ${c.activity.attachments ? cardText(c) : ''}`.trim());

  it('a refused result card is followed by its one-line summary, never by "nothing was changed"', async () => {
    const id = freshRoleRequest(world.tenant);
    // Every attempt to send a card is refused; plain text goes through.
    world.connectorRefuses = (a) => (Array.isArray(a.attachments) && a.attachments.length > 0 ? 500 : null);
    const from = world.calls.length;
    const res = await post(world, bot, message(world, user, `cancel role-request ${id}`));
    assert.equal(res.status, 200);
    assert.equal(world.tenant.getRoleRequest(id)?.status, 'Canceled', 'the cancel reached Graph');
    const said = saidSince(from);
    assert.deepEqual(said, ['Cancelled the role assignment request. (The full answer could not be shown.)']);
    const line = bot.lines().find((l) => l.event === 'bot.answer.failed');
    assert.ok(line, 'the refused answer is logged');
  });
});
