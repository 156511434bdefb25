// A press Teams re-sent with the presser's SSO token after the bot's loginRequest (Universal
// Actions: `authentication.id` names that loginRequest's sign-in) may come after the remembered
// press's time to wait is over: the presser answered the Sign in button or consent prompt later.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action
// Until the periodic pass ends that remembered press (with its audit line), it is still there: the
// re-sent press takes it, so the press that comes now, run or refused, is the command with its one
// audit line, and the pass writes none (contract §6: one audit line per command).

import { strict as assert } from 'node:assert';
import type { AuditLine } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import { Rig, User } from './botRig';
import { FakeClock } from './fakeClock';
import { rigPerTest } from './rigPerTest';
import { auditLinesOf, expirySweep } from './waitingCommand';

describe('a press re-sent after its sign-in’s time is over, before the periodic pass, writes one line', () => {
  let r: Rig;
  let megan: User;
  let target: Target;
  const clock = new FakeClock();
  rigPerTest(
    async (rig) => {
      r = rig;
      megan = r.user(0);
      target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
      await r.postCard(megan, 'card-1', target);
    },
    { clock },
  );

  const press = async (extra: Record<string, unknown> = {}) => (await r.click(megan, target, 'card-1', extra)).body;

  /** The press's loginRequest, then its re-sending with the SSO token 16 minutes later (the
   * remembered press waits 15). */
  async function resentLate(meanwhile = async () => {}): Promise<{ statusCode: number; value: unknown }> {
    const login = await press();
    assert.equal(login.statusCode, 401, JSON.stringify(login).slice(0, 300));
    const id = (login.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    await clock.advance(16 * 60_000);
    await meanwhile();
    return press({ authentication: { id, connectionName: '', token: r.sso(megan) } });
  }

  async function linesAfterSweep(): Promise<Array<[unknown, unknown]>> {
    await r.bot.idle();
    const swept: AuditLine[] = [];
    await clock.advance(26 * 60_000);
    await expirySweep(r, clock, swept)();
    return [...auditLinesOf(r), ...swept].map((l) => [l.outcome, l.errorCode]);
  }

  it('it runs: its line only, no "abandoned" line from the periodic pass', async () => {
    const answer = await resentLate();
    assert.equal(answer.statusCode, 200, JSON.stringify(answer).slice(0, 300));
    assert.deepEqual(await linesAfterSweep(), [['succeeded', null]]);
    assert.equal(r.writes().length, 1, 'one Graph write');
  });

  it('its card got its final word meanwhile: the refusal is its one line', async () => {
    const settle = () =>
      r.bindings.settle(r.conversationOf(megan), 'card-1', { text: 'Cancelled by Adele.', style: 'good' });
    const answer = await resentLate(settle);
    assert.match(JSON.stringify(answer.value), /Cancelled by Adele/);
    assert.deepEqual(await linesAfterSweep(), [['failed', 'INVALID_STATE']]);
    assert.equal(r.writes().length, 0, 'nothing sent to Graph');
  });
});
