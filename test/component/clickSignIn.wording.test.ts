// A sign-in that fails for a card's button tells the person to press the button again, never to
// "send the command again": they typed no command, and the card a click answers with has no Sign in
// button of its own. A new press is what asks them to sign in: Universal Actions answers it with a
// loginRequest, and Teams signs the person in and sends the action again; the Action.Submit
// fallback gets the Sign in card.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action
// A 401 from Graph is a token it does not accept:
// https://learn.microsoft.com/en-us/graph/errors#http-status-codes

import { strict as assert } from 'node:assert';
import { Activity } from 'botbuilder';
import * as fs from 'node:fs';
import { pressedData } from '../fixtures/pressedData';
import { Target } from '../../src/domain/operations';
import { Rig, User, cardsOf } from './botRig';
import { contentOf, firstRowApprove } from './listSession';
import { rigPerTest } from './rigPerTest';

const COMMAND = /send (the|your) command/i;
const PRESS = /press the button again/i;

/** Graph refuses every write: the token it carried is not accepted (401). */
function refuseWrites(r: Rig): void {
  r.hold = (req) =>
    req.method === 'GET'
      ? null
      : Promise.resolve(
          new Response(
            JSON.stringify({
              error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' },
            }),
            { status: 401, headers: { 'content-type': 'application/json' } },
          ),
        );
}

describe('a card button whose sign-in fails: the words say to press the button again', () => {
  describe('without silent sign-in (Teams signs the person in)', () => {
    let dir: string;
    let r: Rig;
    let isaiah: User;
    let target: Target;
    beforeEach(async () => {
      dir = Rig.dir();
      r = new Rig(dir);
      // Isaiah's organisation asks him for MFA: Entra refuses the on-behalf-of exchange.
      isaiah = r.user(r.seed.users.findIndex((u) => u.id === r.seed.selfService.mfaUserId));
      target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.selfService.mfaUserRoleRequestId } };
      await r.postCard(isaiah, 'card-1', target);
    });
    afterEach(async () => {
      await r.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('the click Teams re-sends with an SSO token Entra refuses (MFA): the 412 says to press the button again', async () => {
      const answer = await r.click(isaiah, target, 'card-1', {
        authentication: { id: 'login-1', connectionName: 'x', token: r.sso(isaiah) },
      });
      assert.equal(answer.body.statusCode, 412);
      assert.equal(answer.body.type, 'application/vnd.microsoft.error.preconditionFailed');
      const said = JSON.stringify(answer.body.value);
      assert.match(said, PRESS);
      assert.doesNotMatch(said, COMMAND);
      assert.equal(r.writes().length, 0);
    });

    it('the Action.Submit fallback: the Sign in card’s failed exchange (MFA) says to press the button again', async () => {
      const pressed = await r.message(isaiah, '', { text: undefined, value: pressedData(target), replyToId: 'card-1' });
      const oauth = pressed.sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'))
        ?.content as { tokenExchangeResource: { id: string } } | undefined;
      assert.ok(oauth, `a Sign in card: ${JSON.stringify(pressed.sent)}`);
      const exchange = await r.invoke(isaiah, 'signin/tokenExchange', {
        id: oauth.tokenExchangeResource.id,
        connectionName: '',
        token: r.sso(isaiah),
      });
      assert.equal(exchange.invoke?.status, 412);
      const said = cardsOf(exchange.sent as Array<Partial<Activity>>);
      assert.match(said, /multi-factor/);
      assert.match(said, PRESS);
      assert.doesNotMatch(said, COMMAND);
    });

    it('a typed command whose exchange fails (MFA) speaks of the command and its Sign in card, not of a button', async () => {
      const typed = await r.message(isaiah, `cancel role-request ${r.seed.selfService.mfaUserRoleRequestId}`);
      const oauth = typed.sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'))
        ?.content as { tokenExchangeResource: { id: string } };
      const exchange = await r.invoke(isaiah, 'signin/tokenExchange', {
        id: oauth.tokenExchangeResource.id,
        connectionName: '',
        token: r.sso(isaiah),
      });
      const said = cardsOf(exchange.sent as Array<Partial<Activity>>);
      // The command waits for the sign-in and then runs by itself (commandSignIn.wording.test.ts).
      assert.match(said, /Select Sign in on the sign-in card to complete it; your command then runs/);
      assert.doesNotMatch(said, PRESS);
    });
  });

  describe('Graph does not accept the token during the click', () => {
    let r: Rig;
    rigPerTest((rig) => (r = rig));

    it('a notification card: the clicker’s copy says to press the button again', async () => {
      const megan = r.user(0);
      const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
      await r.postCard(megan, 'card-1', target);
      refuseWrites(r);
      const answer = await r.click(megan, target, 'card-1');
      assert.equal(answer.body.type, 'application/vnd.microsoft.card.adaptive');
      const said = JSON.stringify(answer.body.value);
      assert.match(said, /Sign-in needed/);
      assert.match(said, PRESS);
      assert.doesNotMatch(said, COMMAND);
    });

    it('a row of "my approvals": the row’s notice says to press the button again', async () => {
      const megan = r.user(0);
      const { sent } = await r.message(megan, 'my approvals');
      const card = sent.find((a) => a.attachments?.length)!;
      const approve = firstRowApprove(contentOf(card));
      refuseWrites(r);
      const value = { action: { type: 'Action.Execute', verb: approve.verb, data: approve }, trigger: 'manual' };
      const pressed = await r.invoke(megan, 'adaptiveCard/action', value, { replyToId: card.id! });
      const said = JSON.stringify(pressed.invoke?.body);
      assert.match(said, /Sign-in needed/);
      assert.match(said, PRESS);
      assert.doesNotMatch(said, COMMAND);
    });
  });
});
