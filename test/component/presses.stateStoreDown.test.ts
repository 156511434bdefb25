// A press answered with a loginRequest whose sign-in completed on the bot's sign-in pages: Teams
// sends the original adaptiveCard/action again with `state`, the one-time value the end page
// handed it ("The value includes the state field"):
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
// When the bot's state store fails as that press is handled, the press writes no audit line of its
// own (no refusal for a store failure, pressStoreDown): the press its sign-in remembered is the
// command, and it ends with the one line (contract §6: one line per command), here the periodic
// pass's once the sign-in's time is over. A press carrying a state never reaches the store-down
// answer of a first press: its state is checked first (resentPress.ts), and a store failure there
// fails the turn (a known leftover: the answer is the failed invoke's, with a reference).

import { strict as assert } from 'node:assert';
import type { AuditLine } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import type { Records } from '../../src/state/port';
import { pressedData } from '../fixtures/pressedData';
import { Rig, User } from './botRig';
import { failing } from './failingStore';
import { FakeClock } from './fakeClock';
import { keepRequestsShowing, pressList } from './listSession';
import { rigPerTest } from './rigPerTest';
import { auditLinesOf, expirySweep } from './waitingCommand';

type Answer = { statusCode: number; type: string; value: unknown };

describe('a press re-sent with a sign-in state that meets a store failure writes one audit line', () => {
  let r: Rig;
  let megan: User;
  let target: Target;
  const clock = new FakeClock();
  const pending = { records: null as (Records & { failing: boolean }) | null };
  const marks = { records: null as (Records & { failing: boolean }) | null };
  rigPerTest(
    async (rig) => {
      r = rig;
      list = false;
      megan = r.user(0);
      target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
      await r.postCard(megan, 'card-1', target);
    },
    {
      clock,
      pendingRecords: (inner) => (pending.records = failing(inner)),
      signOutRecords: (inner) => (marks.records = failing(inner, true)),
    },
  );

  /** A notification card's button, or (`list`) a list row's, pressed (again, with `extra`). */
  let list = false;
  const press = async (extra: Record<string, unknown> = {}): Promise<Answer> =>
    list
      ? pressList(r, megan, 'list-1', pressedData(target, { list: 'requests' }), extra)
      : (await r.click(megan, target, 'card-1', extra)).body;

  /** The first press's loginRequest, and the state the sign-in pages hand Teams for it (token kept). */
  async function signedInOnPages(): Promise<{ id: string; state: string }> {
    const login = await press();
    assert.equal(login.statusCode, 401, JSON.stringify(login).slice(0, 300));
    const id = (login.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    assert.ok((await r.signInFlow.accept({ ...megan, tenantId: r.seed.tenantId }, r.sso(megan))).ok);
    return { id, state: await r.signInStates.issueVerify(id, megan.aadObjectId) };
  }

  /** The press's answer never says the item was cancelled (its words may say what failed). */
  const saysNotDone = (answer: Answer): void =>
    assert.doesNotMatch(JSON.stringify(answer.value), /Cancelled|\bdone\b/i, JSON.stringify(answer).slice(0, 300));

  /** No line at the press; after the sign-in's time is over, the remembered press's one line. */
  async function oneLineAfterSweep(): Promise<void> {
    await r.bot.idle();
    assert.deepEqual(auditLinesOf(r), [], 'the re-sent press writes no line of its own');
    pending.records!.failing = false;
    marks.records!.failing = false;
    const swept: AuditLine[] = [];
    await clock.advance(26 * 60_000);
    await expirySweep(r, clock, swept)();
    const lines = [...auditLinesOf(r), ...swept].map((l) => [l.outcome, l.errorCode]);
    assert.deepEqual(lines, [['failed', 'SIGN_IN_REQUIRED']]);
    assert.equal(r.writes().length, 0, 'nothing sent to Graph');
  }

  it("the presser's sign-out mark not read: no line of its own, the remembered press's one", async () => {
    const { state } = await signedInOnPages();
    marks.records!.failing = true;
    const answer = await press({ state });
    saysNotDone(answer);
    await oneLineAfterSweep();
  });

  it('its remembered press not taken (the store refuses writes): alike', async () => {
    const { state } = await signedInOnPages();
    pending.records!.failing = true;
    const answer = await press({ state });
    saysNotDone(answer);
    await oneLineAfterSweep();
  });

  it("a list row's press, the sign-out mark not read: alike", async () => {
    list = true;
    await keepRequestsShowing(r, megan, 'list-1', target);
    await r.postCard(megan, 'list-1', target);
    const { state } = await signedInOnPages();
    marks.records!.failing = true;
    saysNotDone(await press({ state }));
    await oneLineAfterSweep();
  });

  /** A press its checks refuse (the card got its final word) while its remembered press cannot be
   * taken: the refusal's line is held, the remembered press's one line comes from the expiry pass. */
  async function refusedNotTaken(extra: (signedIn: { id: string; state: string }) => Record<string, unknown>) {
    const signedIn = await signedInOnPages();
    await r.bindings.settle(r.conversationOf(megan), 'card-1', { text: 'Cancelled by Adele.', style: 'good' });
    pending.records!.failing = true;
    const answer = await press(extra(signedIn));
    assert.match(JSON.stringify(answer.value), /Cancelled by Adele/);
    await r.bot.idle();
    pending.records!.failing = false;
    const swept: AuditLine[] = [];
    await clock.advance(26 * 60_000);
    await expirySweep(r, clock, swept)();
    const lines = [...auditLinesOf(r), ...swept].map((l) => [l.outcome, l.errorCode]);
    assert.deepEqual(lines, [['failed', 'SIGN_IN_REQUIRED']]);
  }

  it('a press its checks refuse (the card got its final word), its remembered press not taken: one line', () =>
    refusedNotTaken(({ state }) => ({ state })));

  it('alike for a press re-sent with the SSO token (authentication.id)', () =>
    refusedNotTaken(({ id }) => ({ authentication: { id, connectionName: '', token: r.sso(megan) } })));
});
