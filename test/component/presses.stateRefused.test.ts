// A press answered with a loginRequest whose sign-in completed on the bot's sign-in pages: Teams
// sends the original adaptiveCard/action again with `state`, the one-time value the end page
// handed it ("The value includes the state field"):
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
// When the press's checks refuse it then (the card got its final word meanwhile, the list turned),
// that refusal's audit line ends it (contract §6: one line per command), as for a press re-sent
// with the SSO token (cardClicks.refusedResent.test.ts): the press its sign-in remembered ends with
// it, so the periodic pass does not end it later with a second line (SIGN_IN_REQUIRED), and the
// same state again is told the press was answered.

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import type { AuditLine } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import { Rig, User } from './botRig';
import { FakeClock } from './fakeClock';
import { keepRequestsShowing } from './listSession';
import { pressWorldPerTest } from './pressWorld';
import { auditLinesOf, expirySweep } from './waitingCommand';

type Answer = { statusCode: number; type: string; value: unknown };
const FINAL = { text: 'Cancelled by Adele.', style: 'good' as const };

describe('a press re-sent with a sign-in state and refused by its checks writes one audit line', () => {
  let clock: FakeClock;
  let r: Rig;
  let megan: User;
  let target: Target;
  let swept: AuditLine[];
  pressWorldPerTest(async (world) => {
    ({ r, clock, megan, target, swept } = world);
  });

  const exchangeId = (a: Answer): string => {
    assert.equal(a.statusCode, 401, JSON.stringify(a).slice(0, 300));
    return (a.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
  };

  /** What the sign-in pages do for `id` at a completed opening: keep the token, hand Teams a state. */
  const pagesState = async (id: string): Promise<string> => {
    assert.ok((await r.signInFlow.accept({ ...megan, tenantId: r.seed.tenantId }, r.sso(megan))).ok);
    return r.signInStates.issueVerify(id, megan.aadObjectId);
  };

  /** The refusal's line is the only one, after the sign-in's time is over, and nothing was written. */
  async function oneLine(id: string, refused: string): Promise<void> {
    await r.bot.idle();
    assert.equal(await r.signInFlow.pendingView(id), null, 'nothing waits for the sign-in pages');
    await clock.advance(26 * 60_000);
    await expirySweep(r, clock, swept)();
    const lines = [...auditLinesOf(r), ...swept].map((l) => [l.outcome, (l as { refused?: unknown }).refused]);
    assert.deepEqual(lines, [['failed', refused]]);
    assert.equal(r.writes().length, 0);
  }

  it('a notification card that got its final word: the refusal ends the remembered press', async () => {
    await r.postCard(megan, 'card-1', target);
    const press = async (extra: Record<string, unknown> = {}) => (await r.click(megan, target, 'card-1', extra)).body;
    const id = exchangeId(await press());
    const state = await pagesState(id);
    await r.bindings.settle(r.conversationOf(megan), 'card-1', FINAL);
    const refused = await press({ state });
    assert.equal(refused.statusCode, 200, JSON.stringify(refused).slice(0, 300));
    assert.match(JSON.stringify(refused.value), /Cancelled by Adele/);
    const again = await press({ state });
    assert.match(String(again.value), /already answered on its card; nothing was run/, JSON.stringify(again));
    await oneLine(id, 'cardSettled');
  });

  it('a list row the list no longer shows: alike', async () => {
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
    const id = exchangeId(await press());
    const state = await pagesState(id);
    // Megan's other window turned the page meanwhile: the list kept no longer shows the row.
    const other: Target = {
      operation: 'cancelRoleRequest',
      ids: { requestId: '00000000-0000-0000-0000-0000000000cc' },
    };
    await keepRequestsShowing(r, megan, 'list-1', other);
    assert.equal((await press({ state })).statusCode, 200, 'the list as kept, for Megan');
    await oneLine(id, 'listChanged');
  });
});
