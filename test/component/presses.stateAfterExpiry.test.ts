// A press answered with a loginRequest whose sign-in completed on the bot's sign-in pages comes
// back with `state`, the one-time value the end page handed Teams:
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
// The end page may hand that state just before the remembered press's 15 minutes are over and
// Teams send the press again just after. The press runs then (it carries its own data), so it is
// the command: it takes its remembered press while that is still stored, as a press re-sent with
// the SSO token does (presses.resentAfterExpiry.test.ts), and the periodic pass, finding it taken,
// writes no second line (contract §6: one audit line per command).

import { strict as assert } from 'node:assert';
import type { AuditLine } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import { Rig, User } from './botRig';
import { FakeClock } from './fakeClock';
import { pressWorldPerTest } from './pressWorld';
import { auditLinesOf, expirySweep } from './waitingCommand';

type Answer = { statusCode: number; type: string; value: unknown };

describe('a press re-sent with a state issued before its sign-in’s time was over, used after, writes one line', () => {
  let clock: FakeClock;
  let r: Rig;
  let megan: User;
  let target: Target;
  let swept: AuditLine[];
  pressWorldPerTest(async (world) => {
    ({ r, clock, megan, target, swept } = world);
  });

  const press = async (extra: Record<string, unknown> = {}) =>
    (await r.click(megan, target, 'card-1', extra)).body as Answer;

  it('it runs once: its line only, no "abandoned" line from the periodic pass', async () => {
    await r.postCard(megan, 'card-1', target);
    const login = await press();
    assert.equal(login.statusCode, 401, JSON.stringify(login).slice(0, 300));
    const id = (login.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    await clock.advance(14.5 * 60_000);
    assert.ok((await r.signInFlow.accept({ ...megan, tenantId: r.seed.tenantId }, r.sso(megan))).ok);
    const state = await r.signInStates.issueVerify(id, megan.aadObjectId);
    await clock.advance(60_000);
    const ran = await press({ state });
    assert.equal(ran.statusCode, 200, JSON.stringify(ran).slice(0, 300));
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'one Graph write');
    await clock.advance(26 * 60_000);
    await expirySweep(r, clock, swept)();
    assert.deepEqual(
      [...auditLinesOf(r), ...swept].map((l) => [l.outcome, l.errorCode]),
      [['succeeded', null]],
    );
    await press({ state });
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'the same press with its used state runs nothing again');
  });
});
