// A press Teams re-sent after a sign-in (Universal Actions: with `authentication.id`, or the sign-in
// pages' `state`) that its card's checks refuse ends the press its loginRequest remembered, and
// that answer's line is the command's one (contract §6). Unless that remembered press writes the
// line itself: it ran meanwhile (another window's sign-in), or the store failed to take it and it
// still waits, for the periodic pass to end it. Either way: one line, never two, never none.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import type { AuditLine } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import { Records, StateUnavailableError } from '../../src/state/port';
import { Rig, User } from './botRig';
import { failing } from './failingStore';
import { FakeClock } from './fakeClock';
import { keepRequestsShowing, pressList } from './listSession';
import { rigPerTest } from './rigPerTest';
import { auditLinesOf, expirySweep } from './waitingCommand';

describe('a re-sent press its checks refuse writes one audit line in every order', () => {
  let r: Rig;
  let megan: User;
  let target: Target;
  const clock = new FakeClock();
  const pending = { records: null as (Records & { failing: boolean }) | null };
  rigPerTest(
    async (rig) => {
      r = rig;
      megan = r.user(0);
      target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    },
    { clock, pendingRecords: (inner) => (pending.records = failing(inner)) },
  );

  /** The id of the sign-in whose loginRequest answered the press `first`. */
  async function asked(first: () => Promise<{ statusCode: number; value: unknown }>): Promise<string> {
    const login = await first();
    assert.equal(login.statusCode, 401, JSON.stringify(login).slice(0, 300));
    return (login.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
  }

  async function linesAfterSweep(): Promise<Array<[unknown, unknown]>> {
    await r.bot.idle();
    pending.records!.failing = false;
    const swept: AuditLine[] = [];
    await clock.advance(26 * 60_000);
    await expirySweep(r, clock, swept)();
    return [...auditLinesOf(r), ...swept].map((l) => [l.outcome, l.errorCode]);
  }

  it('the remembered press runs (another window signed in) while the re-sent one is checked: its line only', async () => {
    await r.postCard(megan, 'card-1', target);
    const press = async (extra: Record<string, unknown> = {}) => (await r.click(megan, target, 'card-1', extra)).body;
    const id = await asked(press);
    assert.ok((await r.signInFlow.accept({ ...megan, tenantId: r.seed.tenantId }, r.sso(megan))).ok);
    const state = await r.signInStates.issueVerify(id, megan.aadObjectId);
    // The re-sent press passed the early "already ran?" look; as its card is read for the checks,
    // the sign-in pages' window verifies its state and runs the remembered press, settling the card.
    const cardOf = r.bindings.cardOf.bind(r.bindings);
    let raced = false;
    r.bindings.cardOf = async (conversationId, activityId) => {
      if (!raced) {
        raced = true;
        assert.equal((await r.invoke(megan, 'signin/verifyState', { state })).invoke?.status, 200);
        await r.bot.idle();
      }
      return cardOf(conversationId, activityId);
    };
    const answer = await press({ authentication: { id, connectionName: '', token: r.sso(megan) } });
    assert.ok(raced);
    assert.match(JSON.stringify(answer.value), /Cancel/i, 'the card with its final word');
    assert.equal(r.writes().length, 1, 'one Graph write');
    assert.deepEqual(await linesAfterSweep(), [['succeeded', null]]);
  });

  it("a list row's re-sent press the list no longer shows, its remembered press not taken: one line", async () => {
    await r.postCard(megan, 'list-1', target);
    await keepRequestsShowing(r, megan, 'list-1', target);
    const data = pressedData(target, { list: 'requests' });
    const id = await asked(() => pressList(r, megan, 'list-1', data));
    // The list card's page was kept afresh meanwhile, without that row (LIST_CHANGED).
    const other: Target = {
      operation: 'cancelRoleRequest',
      ids: { requestId: '00000000-0000-0000-0000-0000000000cc' },
    };
    await keepRequestsShowing(r, megan, 'list-1', other);
    pending.records!.failing = true;
    await pressList(r, megan, 'list-1', data, { authentication: { id, connectionName: '', token: r.sso(megan) } });
    assert.deepEqual(await linesAfterSweep(), [['failed', 'SIGN_IN_REQUIRED']]);
    assert.equal(r.writes().length, 0, 'nothing sent to Graph');
  });

  it('re-sent with the pages’ state, refused, the state store failing as its sign-in is looked up again: one line', async () => {
    await r.postCard(megan, 'card-1', target);
    const press = async (extra: Record<string, unknown> = {}) => (await r.click(megan, target, 'card-1', extra)).body;
    const id = await asked(press);
    assert.ok((await r.signInFlow.accept({ ...megan, tenantId: r.seed.tenantId }, r.sso(megan))).ok);
    const state = await r.signInStates.issueVerify(id, megan.aadObjectId);
    await r.bindings.settle(r.conversationOf(megan), 'card-1', { text: 'Cancelled by Adele.', style: 'good' });
    // The early "already ran?" look reads the state's sign-in; the store fails at the next read.
    const pendingOfVerify = r.signInStates.pendingOfVerify.bind(r.signInStates);
    let reads = 0;
    r.signInStates.pendingOfVerify = async (...a) => {
      if (++reads > 1) throw new StateUnavailableError('state store: read failed (SQLITE_BUSY)');
      return pendingOfVerify(...a);
    };
    const answer = await press({ state });
    assert.equal(reads, 2);
    assert.match(JSON.stringify(answer.value), /Cancelled by Adele/);
    assert.deepEqual(await linesAfterSweep(), [['failed', 'SIGN_IN_REQUIRED']]);
  });
});
