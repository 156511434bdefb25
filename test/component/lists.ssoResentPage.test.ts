// A list card's page button (More) that the bot answered with a loginRequest, re-sent by Teams with
// the SSO token (Universal Actions: the adaptiveCard/action comes again with `authentication` =
// {id, connectionName, token}, `id` that of the loginRequest's tokenExchangeResource), and answered
// then without signing in: the list is gone (too old), or its page no longer needs Graph (the rows
// are read, or Graph has no further page). That answer ends the press, so the press the
// loginRequest remembered ends with it: a late signin/failure must not offer a Sign in card for it,
// and no later sign-in may show the page again.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action

import { strict as assert } from 'node:assert';
import type { WorkItem } from '../../src/domain/myWork';
import { ListCards } from '../../src/state/listCards';
import { Rig, User } from './botRig';
import { pressList, signedOutAtGraphPage } from './listSession';
import { rigPerTest } from './rigPerTest';

describe('a list page button re-sent with the SSO token and answered without Graph leaves nothing waiting', () => {
  let r: Rig;
  let megan: User;
  let cardId: string;
  let more: Record<string, unknown>;
  let id: string;
  rigPerTest(async (rig) => {
    r = rig;
    ({ megan, cardId, more } = await signedOutAtGraphPage(rig));
    const asked = await pressList(r, megan, cardId, more);
    assert.equal(asked.statusCode, 401, JSON.stringify(asked));
    id = (asked.value as unknown as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    assert.ok(await r.signInFlow.pendingView(id), 'the loginRequest remembers the page');
  }, {});

  const resend = () =>
    pressList(r, megan, cardId, more, {
      authentication: { id, connectionName: 'GovernanceBotSignIn', token: r.sso(megan) },
    });

  /** Nothing of the press waits: no sign-in, no Sign in card on a late failure. */
  async function nothingWaits(): Promise<void> {
    await r.bot.idle();
    assert.equal(await r.signInFlow.pendingView(id), null, 'nothing waits for the sign-in pages');
    const failure = await r.invoke(megan, 'signin/failure', { code: 'resourcematchfailed', message: 'x' });
    assert.equal(failure.invoke?.status, 200);
    assert.deepEqual(failure.sent, [], `no Sign in card offered for it: ${JSON.stringify(failure.sent)}`);
  }

  it('the list is too old: refused, and its remembered page ends with the refusal', async () => {
    await r.state.records.delete(`list:${r.conversationOf(megan)}:${cardId}`);
    const again = await resend();
    assert.equal(again.statusCode, 400, JSON.stringify(again));
    assert.match(JSON.stringify(again), /too old to page through/);
    await nothingWaits();
  });

  it('Graph has no further page: the page is shown, and its remembered page ends with it', async () => {
    const lists = new ListCards<WorkItem>(r.state.records);
    const kept = (await lists.get(r.conversationOf(megan), cardId))!;
    await lists.save(r.conversationOf(megan), cardId, { ...kept, next: {} });
    const again = await resend();
    assert.equal(again.statusCode, 200, JSON.stringify(again));
    assert.deepEqual(r.tenant.graphRequests(), [], 'nothing read from Graph');
    await nothingWaits();
  });
});
