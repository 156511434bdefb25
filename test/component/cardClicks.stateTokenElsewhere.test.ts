// A press answered with a loginRequest whose sign-in completed on the bot's sign-in pages served by
// another instance: Teams sends the press again with the pages' `state`
// (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards),
// and this instance, without the token, asks again with a loginRequest whose single sign-on now
// succeeds. That loginRequest names the sign-in that remembers the press (let found under a fresh id
// too, as for signin/verifyState: README "With several instances"), never a second one: the press
// runs once from it, and nothing of it waits after, or the periodic pass would end it later with a
// second audit line (contract §6: one line per command) and its first Sign in page could run it again.

import { strict as assert } from 'node:assert';
import type { AuditLine } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import { pressedData } from '../fixtures/pressedData';
import { Rig, User } from './botRig';
import { FakeClock } from './fakeClock';
import { keepRequestsShowing } from './listSession';
import { pressWorldPerTest } from './pressWorld';
import { auditLinesOf, expirySweep } from './waitingCommand';

type Answer = { statusCode: number; type: string; value: unknown };

describe('a press re-sent with a sign-in state whose token another instance keeps', () => {
  let clock: FakeClock;
  let r: Rig;
  let megan: User;
  let target: Target;
  let swept: AuditLine[];
  pressWorldPerTest(async (world) => {
    ({ r, clock, megan, target, swept } = world);
  });

  const exchangeId = (a: Answer): string => {
    assert.equal(a.type, 'application/vnd.microsoft.activity.loginRequest', JSON.stringify(a).slice(0, 300));
    return (a.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
  };

  /** The sign-in's remembered press ran once from the second loginRequest, and nothing of it waits. */
  async function ranOnceNothingWaits(first: string): Promise<void> {
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'one Graph write');
    assert.equal(await r.signInFlow.latestFor(megan.aadObjectId), null, 'nothing waits for Megan');
    assert.equal(await r.signInFlow.pendingView(first), null, "the first card's Sign in page has nothing to run");
    await clock.advance(26 * 60_000);
    await expirySweep(r, clock, swept)();
    assert.deepEqual(swept, [], 'the periodic pass ends nothing');
    assert.deepEqual(
      auditLinesOf(r).map((l) => l.outcome),
      ['succeeded'],
    );
  }

  it("a notification card's press", async () => {
    await r.postCard(megan, 'card-1', target);
    const press = async (extra: Record<string, unknown> = {}) => (await r.click(megan, target, 'card-1', extra)).body;
    const first = exchangeId(await press());
    // The pages, on another instance, kept the token there; the state is in the shared store.
    const state = await r.signInStates.issueVerify(first, megan.aadObjectId);
    const again = exchangeId(await press({ state }));
    const ran = await press({ authentication: { id: again, connectionName: '', token: r.sso(megan) } });
    assert.equal(ran.statusCode, 200, JSON.stringify(ran).slice(0, 300));
    await ranOnceNothingWaits(first);
  });

  it("a list row's press", async () => {
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
    const first = exchangeId(await press());
    const state = await r.signInStates.issueVerify(first, megan.aadObjectId);
    const again = exchangeId(await press({ state }));
    await press({ authentication: { id: again, connectionName: '', token: r.sso(megan) } });
    await ranOnceNothingWaits(first);
  });
});
