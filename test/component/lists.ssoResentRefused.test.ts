// A list card's button whose re-sent press (Universal Actions' single sign-on: Teams sends the
// adaptiveCard/action again with `authentication` after the bot's loginRequest) carries an SSO
// token that fails the exchange. The doc: "Receivers that experience an error while performing
// token exchange must respond with an error or a second login request that doesn't include SSO
// information. If responding with an error, the error must be: statusCode 412,
// application/vnd.microsoft.error.preconditionFailed".
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action
// As for a notification card's button (clickSignIn.wording.test.ts): 412, no new sign-in, the first
// loginRequest's sign-in still remembering the press, with why it failed noted for its start page
// (which then asks Entra for what was missing: consent, MFA).

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import type { Target } from '../../src/domain/operations';
import { Rig, User } from './botRig';
import { keepRequestsShowing, signedOutAtGraphPage } from './listSession';
import { rigPerTest } from './rigPerTest';

interface ActionBody {
  statusCode: number;
  type: string;
  value: { tokenExchangeResource?: { id: string } } | null;
}

const press = async (r: Rig, user: User, cardId: string, data: Record<string, unknown>, extra = {}) =>
  (
    await r.invoke(
      user,
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual', ...extra },
      { replyToId: cardId },
    )
  ).invoke?.body as ActionBody;

describe('a list button re-sent with an SSO token that fails the exchange is answered 412', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig), {});

  it("More with another user's token: 412, no second login request, the first sign-in still waits", async () => {
    const { megan, cardId, more } = await signedOutAtGraphPage(r);
    const asked = await press(r, megan, cardId, more);
    assert.equal(asked.statusCode, 401, JSON.stringify(asked));
    const id = asked.value!.tokenExchangeResource!.id;
    const again = await press(r, megan, cardId, more, {
      authentication: { id, connectionName: 'GovernanceBotSignIn', token: r.sso(r.user(1)) },
    });
    assert.equal(again.statusCode, 412, JSON.stringify(again));
    assert.equal(again.type, 'application/vnd.microsoft.error.preconditionFailed');
    assert.equal(again.value?.tokenExchangeResource, undefined, 'no SSO offered again');
    assert.equal(await r.signInFlow.latestFor(megan.aadObjectId), id, 'no other sign-in begun');
    assert.deepEqual(r.tenant.graphRequests(), [], 'nothing read');
  });

  it("a row, MFA required: 412, and its sign-in's start page asks for MFA", async () => {
    const isaiah = r.user(r.seed.users.findIndex((u) => u.id === r.seed.selfService.mfaUserId));
    const target: Target = {
      operation: 'cancelRoleRequest',
      ids: { requestId: r.seed.selfService.mfaUserRoleRequestId },
    };
    await r.postCard(isaiah, 'list-1', target);
    await keepRequestsShowing(r, isaiah, 'list-1', target);
    const data = pressedData(target, { list: 'requests' });
    const asked = await press(r, isaiah, 'list-1', data);
    assert.equal(asked.statusCode, 401, JSON.stringify(asked));
    const id = asked.value!.tokenExchangeResource!.id;
    const again = await press(r, isaiah, 'list-1', data, {
      authentication: { id, connectionName: 'GovernanceBotSignIn', token: r.sso(isaiah) },
    });
    assert.equal(again.statusCode, 412, JSON.stringify(again));
    assert.match(JSON.stringify(again.value), /press the button again/i);
    assert.equal((await r.signInFlow.pendingView(id))?.reason, 'mfa');
    assert.equal(await r.signInFlow.latestFor(isaiah.aadObjectId), id);
    await r.bot.idle();
    assert.equal(r.writes().length, 0);
    assert.equal(r.logs.filter((l) => l.event === 'governance.action').length, 0, 'the press has not ended');
  });
});
