// A pending sign-in belongs to the user whose command it remembers: nobody else may change it. A
// click re-sent by Teams with an SSO token names the login request it answers
// (value.authentication.id); when that token cannot be exchanged because consent or MFA is
// missing, the bot notes the reason on that pending sign-in, so its start page asks Entra for
// exactly that (prompt=consent, or the claims challenge). The id in the click is the clicker's
// word only: another member who knows someone's pending id (it is in the OAuth card's sign-in
// link, which every member of a group chat sees) must not rewrite that person's sign-in.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards

import { strict as assert } from 'node:assert';
import { cardsSession } from './cardsSession';
import { message, post, userOf } from './harness';

describe('security: a pending sign-in is changed only by its own user', function () {
  this.timeout(60_000);
  const session = cardsSession();

  it("another member's click that names someone's pending sign-in does not change what its start page asks Entra", async () => {
    const { world, bot } = session;
    const victim = userOf(world.seed, 0);
    // Consent for the SSO app is missing for this user: the exchange of their token fails so.
    const other = userOf(world.seed, 2);

    const command = message(world, victim, 'cancel role-request 00000000-0000-0000-0000-0000000000ab');
    const mark = world.calls.length;
    assert.equal((await post(world, bot, command)).status, 200);
    const card = await world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === command.conversation.id,
    );
    const pendingId = (card.activity.attachments as Array<{ content: { tokenExchangeResource: { id: string } } }>)[0]!
      .content.tokenExchangeResource.id;
    const startOf = async () => {
      const res = await fetch(`${bot.url}/auth/start?s=${encodeURIComponent(pendingId)}`, { redirect: 'manual' });
      assert.equal(res.status, 302);
      return new URL(res.headers.get('location') ?? '').searchParams;
    };
    assert.equal((await startOf()).get('prompt'), null, "the victim's sign-in asks for no consent prompt");

    const target = session.roleTarget('95c690fb-3eb3-4942-a03f-4524aed6f31f');
    const sso = world.tenant.issueSsoToken(other.aadObjectId, world.seed.app.clientId);
    const answer = await session.clickOn(bot, other, target, await session.posted(target), {
      authentication: { id: pendingId, connectionName: '', token: sso },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.statusCode, 412, "the other member's own sign-in failed (consent)");

    assert.equal((await startOf()).get('prompt'), null, "the victim's sign-in is as it was");
  });
});
