// A press Teams re-sent after a sign-in (Universal Actions: with the SSO token and
// `authentication.id`, or with the sign-in pages' `state`) takes the press its loginRequest
// remembered, in one compare and swap, before it runs or ends with its checks' answer.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action
// A take whose write the store reported failed although it landed (an answer lost on its way
// back, as a timed-out request to Azure Storage may be) left the remembered press ended: nothing
// else runs it or ends it then. The press is still the command with its one audit line (contract
// §6): run when it may act, its refusal's line when its checks refused it.

import { strict as assert } from 'node:assert';
import type { AuditLine } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import type { Records } from '../../src/state/port';
import { Rig, User } from './botRig';
import { failingOn } from './failingStore';
import { FakeClock } from './fakeClock';
import { rigPerTest } from './rigPerTest';
import { auditLinesOf, expirySweep } from './waitingCommand';

type Answer = { statusCode: number; type: string; value: unknown };

describe('a re-sent press whose take landed but was reported failed keeps its one audit line', () => {
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
      await r.postCard(megan, 'card-1', target);
    },
    // Writes to a waiting sign-in's entry land, then are reported failed.
    { clock, pendingRecords: (inner) => (pending.records = failingOn(inner, (k) => k.startsWith('signin:'), true)) },
  );

  const press = async (extra: Record<string, unknown> = {}): Promise<Answer> =>
    (await r.click(megan, target, 'card-1', extra)).body;

  /** The first press's loginRequest: the id of the sign-in that remembers it. */
  async function asked(): Promise<string> {
    const login = await press();
    assert.equal(login.statusCode, 401, JSON.stringify(login).slice(0, 300));
    return (login.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
  }

  /** Every audit line, the periodic pass's after the sign-in's time is over included. */
  async function linesAfterSweep(): Promise<Array<[unknown, unknown]>> {
    await r.bot.idle();
    pending.records!.failing = false;
    const swept: AuditLine[] = [];
    await clock.advance(26 * 60_000);
    await expirySweep(r, clock, swept)();
    return [...auditLinesOf(r), ...swept].map((l) => [l.outcome, l.errorCode]);
  }

  it('re-sent with the SSO token, its take landed: the press runs, with its one line', async () => {
    const id = await asked();
    pending.records!.failing = true;
    const answer = await press({ authentication: { id, connectionName: '', token: r.sso(megan) } });
    assert.equal(answer.statusCode, 200, JSON.stringify(answer).slice(0, 300));
    assert.match(JSON.stringify(answer.value), /Cancel/i);
    assert.deepEqual(await linesAfterSweep(), [['succeeded', null]]);
    assert.equal(r.writes().length, 1, 'one Graph write');
  });

  it('refused by its checks (the card got its final word), its take landed: the refusal is its one line', async () => {
    const id = await asked();
    await r.bindings.settle(r.conversationOf(megan), 'card-1', { text: 'Cancelled by Adele.', style: 'good' });
    pending.records!.failing = true;
    const answer = await press({ authentication: { id, connectionName: '', token: r.sso(megan) } });
    assert.match(JSON.stringify(answer.value), /Cancelled by Adele/);
    assert.deepEqual(await linesAfterSweep(), [['failed', 'INVALID_STATE']]);
    assert.equal(r.writes().length, 0, 'nothing sent to Graph');
  });

  it('refused, re-sent with the pages’ state, its take landed: alike', async () => {
    const id = await asked();
    assert.ok((await r.signInFlow.accept({ ...megan, tenantId: r.seed.tenantId }, r.sso(megan))).ok);
    const state = await r.signInStates.issueVerify(id, megan.aadObjectId);
    await r.bindings.settle(r.conversationOf(megan), 'card-1', { text: 'Cancelled by Adele.', style: 'good' });
    pending.records!.failing = true;
    const answer = await press({ state });
    assert.match(JSON.stringify(answer.value), /Cancelled by Adele/);
    assert.deepEqual(await linesAfterSweep(), [['failed', 'INVALID_STATE']]);
  });
});
