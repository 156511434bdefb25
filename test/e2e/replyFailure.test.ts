// A turn whose answer Teams does not take after its action was made: the bot must not then tell the
// user that nothing was changed. Teams' connector can answer a send with 502 or 504 (the rate-limit
// page tells bots to retry those: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit);
// when it keeps doing so past the connector client's retries, the cancel has already happened in
// Graph, so the only honest follow-up says what was done.

import { strict as assert } from 'node:assert';
import { addBenchUsers, freshRoleRequest, signIn } from '../../bench/users';
import { BotProcess, Who, World, cardText, message, post, startBot, startWorld } from './harness';

describe('an answer Teams does not take after the action was made', function () {
  this.timeout(60_000);
  let world: World;
  let bot: BotProcess;
  let user: Who;
  let newcomer: Who;
  const conversation = (who: Who = user) => `a:personal-${who.aadObjectId}`;

  before(async () => {
    world = await startWorld();
    bot = await startBot(world, world.botEnv());
    [user, newcomer] = addBenchUsers(world, 2) as [Who, Who];
    await signIn(world, bot, user);
    // The command that asked for sign-in runs after the exchange, on a turn of its own: its answer
    // must be in before any test starts refusing sends.
    await world.waitFor((c) => c.conversationId === conversation() && /Cancelled/.test(cardText(c)));
  });

  afterEach(() => {
    world.connectorRefuses = null;
  });

  after(async () => {
    await bot?.stop();
    await world?.close();
  });

  /** What the bot got through to the user's chat since `from`: text and card text. */
  const saidSince = (from: number, who: Who = user): string[] =>
    world.calls
      .slice(from)
      .filter((c) => c.conversationId === conversation(who) && c.method === 'POST')
      .map((c) => `${String(c.activity.text ?? '')} ${c.activity.attachments ? cardText(c) : ''}`.trim());

  it('a refused result card is followed by its one-line summary, never by "nothing was changed"', async () => {
    const id = freshRoleRequest(world.tenant);
    // Every attempt to send a card is refused; plain text goes through.
    world.connectorRefuses = (a) => (Array.isArray(a.attachments) && a.attachments.length > 0 ? 502 : null);
    const from = world.calls.length;
    const res = await post(world, bot, message(world, user, `cancel role-request ${id}`));
    assert.equal(res.status, 200);
    assert.equal(world.tenant.getRoleRequest(id)?.status, 'Canceled', 'the cancel reached Graph');
    const said = saidSince(from);
    assert.deepEqual(said, ['Cancelled the role assignment request. (The full answer could not be shown.)']);
    const line = bot.lines().find((l) => l.event === 'bot.answer.failed');
    assert.ok(line, 'the refused answer is logged');
  });

  it('the same after sign-in, when the waiting command runs on its own turn', async () => {
    const id = freshRoleRequest(world.tenant);
    // The sign-in card goes through; every Adaptive Card after it is refused.
    world.connectorRefuses = (a) =>
      JSON.stringify(a.attachments ?? []).includes('application/vnd.microsoft.card.adaptive') ? 502 : null;
    const from = world.calls.length;
    await signIn(world, bot, newcomer, `cancel role-request ${id}`);
    await world.waitFor(
      (c) => c.conversationId === conversation(newcomer) && /could not be shown/.test(String(c.activity.text)),
    );
    assert.equal(world.tenant.getRoleRequest(id)?.status, 'Canceled', 'the command ran after sign-in');
    const said = saidSince(from, newcomer).filter((t) => !/sign in/i.test(t));
    assert.deepEqual(said, ['Cancelled the role assignment request. (The full answer could not be shown.)']);
  });
});
