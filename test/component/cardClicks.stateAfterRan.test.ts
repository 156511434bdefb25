// A press answered with a loginRequest whose sign-in completed on the bot's sign-in pages: Teams
// sends the original adaptiveCard/action again with `state`, the one-time value the end page
// handed it ("The value includes the state field"):
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
// The pages make a state at each completed opening of the Sign in link (README, "Sign-in that
// never dead-ends", steps 3 to 5), so a second window, or the single sign-on re-send, may have run
// the remembered press before a state for it comes. Such a press runs nothing, is not checked or
// audited again (contract §6: one audit line per command), and its presser is told it ran, as for
// a press re-sent with the SSO token whose press ran (cardClicks.ssoResent.test.ts).

import { strict as assert } from 'node:assert';
import type { Target } from '../../src/domain/operations';
import { pressedData } from '../fixtures/pressedData';
import { Rig, User } from './botRig';
import { keepRequestsShowing } from './listSession';
import { pressWorldPerTest } from './pressWorld';
import { auditLinesOf } from './waitingCommand';

type Answer = { statusCode: number; type: string; value: unknown };

describe('a press re-sent with a sign-in state after its remembered press ran', () => {
  let r: Rig;
  let megan: User;
  let target: Target;
  pressWorldPerTest(async (world) => {
    ({ r, megan, target } = world);
  });

  /** What the sign-in pages do for `id` at one completed opening: keep the token, hand Teams a state. */
  const pagesState = async (id: string): Promise<string> => {
    assert.ok((await r.signInFlow.accept({ ...megan, tenantId: r.seed.tenantId }, r.sso(megan))).ok);
    return r.signInStates.issueVerify(id, megan.aadObjectId);
  };

  /** Checks the second sending: told it ran, nothing written or audited again. */
  const ranOnce = (again: Answer) => {
    assert.equal(again.statusCode, 200, JSON.stringify(again));
    assert.equal(again.type, 'application/vnd.microsoft.activity.message', JSON.stringify(again).slice(0, 400));
    assert.match(String(again.value), /already ran/);
    assert.equal(r.writes().length, 1, 'one Graph write');
    assert.deepEqual(
      auditLinesOf(r).map((l) => [l.outcome, l.errorCode]),
      [['succeeded', null]],
      'one audit line',
    );
  };

  it("a notification card's press: a second window's state runs nothing and says it ran", async () => {
    await r.postCard(megan, 'card-1', target);
    const press = (extra: Record<string, unknown> = {}) => r.click(megan, target, 'card-1', extra);
    const login = await press();
    assert.equal(login.body.statusCode, 401, JSON.stringify(login.body));
    const id = (login.body.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    const [first, second] = [await pagesState(id), await pagesState(id)];
    assert.equal((await press({ state: first })).body.statusCode, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1);
    const again = await press({ state: second });
    await r.bot.idle();
    ranOnce(again.body);
  });

  it('the single sign-on re-send ran it first: the state that comes after runs nothing', async () => {
    await r.postCard(megan, 'card-1', target);
    const press = (extra: Record<string, unknown> = {}) => r.click(megan, target, 'card-1', extra);
    const login = await press();
    const id = (login.body.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    const state = await pagesState(id);
    await press({ authentication: { id, connectionName: '', token: r.sso(megan) } });
    await r.bot.idle();
    ranOnce((await press({ state })).body);
  });

  it("a list row's press: alike", async () => {
    await keepRequestsShowing(r, megan, 'list-1', target);
    await r.postCard(megan, 'list-1', target);
    const data = pressedData(target, { list: 'requests' });
    const press = async (extra: Record<string, unknown> = {}) =>
      (
        await r.invoke(
          megan,
          'adaptiveCard/action',
          { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual', ...extra },
          { replyToId: 'list-1' },
        )
      ).invoke?.body as Answer;
    const login = await press();
    assert.equal(login.statusCode, 401);
    const id = (login.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    const [first, second] = [await pagesState(id), await pagesState(id)];
    await press({ state: first });
    await r.bot.idle();
    assert.equal(r.writes().length, 1);
    ranOnce(await press({ state: second }));
  });
});
