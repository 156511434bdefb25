// "More" pressed when the bot holds no token for the presser (after a restart, or after "sign out")
// and its page needs Graph's next page: it asks for sign-in exactly as a row's button does, and the
// page asked for comes after the sign-in. With Action.Execute the answer is a loginRequest (401 with
// an OAuth card); Teams runs SSO and sends the same adaptiveCard/action again with the token in
// `authentication`, which the bot answers with the page. With Action.Submit (clients without
// Universal Actions) the Sign in card is posted, the page remembered, and the card replaced with the
// page once the token exchange completes.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/overview
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { Rig, User } from './botRig';
import { ListContent, contentOf, nextPageReads, signedOutAtGraphPage, subtitleOf } from './listSession';
import { rigPerTest } from './rigPerTest';

describe('More without a token asks for sign-in as a row does, then shows the page', () => {
  let r: Rig;
  let megan: User;
  let cardId: string;
  /** The card's More button that needs Graph's next page, pressed on a card paged up to it. */
  let more: Record<string, unknown>;
  /** The first row of the page that More leads to, as the card counts rows ("41-"). */
  let nextRow: string;

  const execute = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    r.invoke(
      megan,
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual', ...extra },
      { replyToId: cardId },
    );

  rigPerTest(async (rig) => {
    r = rig;
    ({ megan, cardId, more, nextRow } = await signedOutAtGraphPage(rig));
  }, {});

  it('Action.Execute: a loginRequest; the press Teams sends again with the token shows the page', async () => {
    const asked = (await execute(more)).invoke?.body as {
      statusCode: number;
      type: string;
      value: { tokenExchangeResource: { id: string }; buttons: Array<{ value: string }> };
    };
    assert.equal(asked.statusCode, 401, JSON.stringify(asked));
    assert.equal(asked.type, 'application/vnd.microsoft.activity.loginRequest');
    const id = asked.value.tokenExchangeResource.id;
    assert.ok(await r.signInFlow.pendingView(id), 'the sign-in page button has a sign-in to complete');
    assert.deepEqual(r.tenant.graphRequests(), [], 'nothing read before sign-in');

    const again = await execute(more, { authentication: { id, connectionName: '', token: r.sso(megan) } });
    const body = again.invoke?.body as { statusCode: number; value: ListContent };
    assert.equal(body.statusCode, 200, JSON.stringify(body));
    assert.match(subtitleOf(body.value), new RegExp(nextRow));
    const reads = nextPageReads(r);
    assert.ok(reads.length > 0, "Graph's next page was read");
    assert.ok(
      reads.every((q) => q.tokenClaims?.oid === megan.aadObjectId),
      'as Megan',
    );
  });

  it('Action.Submit: the Sign in card; after the token exchange the card shows the page asked for', async () => {
    const submitted = await r.message(megan, '', { text: undefined, value: more, replyToId: cardId } as never);
    const oauth = submitted.sent
      .flatMap((a: Partial<Activity>) => a.attachments ?? [])
      .find((x) => x.contentType.endsWith('card.oauth'));
    assert.ok(oauth, `a Sign in card: ${JSON.stringify(submitted.sent)}`);
    assert.doesNotMatch(JSON.stringify(submitted.sent), /again: it asks you to sign in/);
    const id = (oauth.content as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;

    const exchange = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    assert.equal(exchange.invoke?.status, 200);
    await r.bot.idle();
    const edited = r.updates.find((u) => u.id === cardId);
    assert.ok(edited, `the list card is replaced: ${JSON.stringify(r.sent)}`);
    assert.match(subtitleOf(contentOf(edited)), new RegExp(nextRow));
    assert.ok(nextPageReads(r).length > 0, "Graph's next page was read after the sign-in");
  });
});
