// A list row's press that the bot answered with a loginRequest, re-sent by Teams with the SSO token
// (Universal Actions: the adaptiveCard/action comes again with `authentication` = {id,
// connectionName, token}, `id` that of the loginRequest's tokenExchangeResource), and refused then
// by the row's checks (here: the list as kept no longer shows the row, `listChanged`). The refusal
// ends the press with its one audit line (contract §6: one line per command), so the press that
// loginRequest remembered ends with it: nothing of it may wait for the periodic pass to end it with
// a second line (SIGN_IN_REQUIRED, abandoned), nor for a late signin/failure to offer a Sign in card
// for it.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import type { AuditLine } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import { Rig, User } from './botRig';
import { FakeClock } from './fakeClock';
import { pressWorldPerTest } from './pressWorld';
import { keepRequestsShowing } from './listSession';
import { auditLinesOf, expirySweep } from './waitingCommand';

const MINUTE = 60_000;

describe('a list row re-sent with the SSO token and refused by its checks writes one audit line', () => {
  let clock: FakeClock;
  let r: Rig;
  let megan: User;
  let target: Target;
  let swept: AuditLine[];
  pressWorldPerTest(async (world) => {
    ({ r, clock, megan, target, swept } = world);
    await keepRequestsShowing(r, megan, 'list-1', target);
    await r.postCard(megan, 'list-1', target);
  });

  const data = () => pressedData(target, { list: 'requests' });
  const press = (extra: Record<string, unknown> = {}) =>
    r.invoke(
      megan,
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: data().verb, data: data() }, trigger: 'manual', ...extra },
      { replyToId: 'list-1' },
    );

  it('the list turned meanwhile: the listChanged line is the only one, and nothing waits', async () => {
    const login = (await press()).invoke?.body as {
      statusCode: number;
      value: { tokenExchangeResource: { id: string } };
    };
    assert.equal(login.statusCode, 401, JSON.stringify(login));
    const id = login.value.tokenExchangeResource.id;
    // Megan's other window turned the page meanwhile: the list kept no longer shows the row.
    const other: Target = {
      operation: 'cancelRoleRequest',
      ids: { requestId: '00000000-0000-0000-0000-0000000000cc' },
    };
    await keepRequestsShowing(r, megan, 'list-1', other);
    const again = await press({ authentication: { id, connectionName: 'GovernanceBotSignIn', token: r.sso(megan) } });
    assert.equal((again.invoke?.body as { statusCode: number }).statusCode, 200, 'the list as kept, for Megan');
    await r.bot.idle();
    assert.equal(await r.signInFlow.pendingView(id), null, 'nothing waits for the sign-in pages');
    const failure = await r.invoke(megan, 'signin/failure', { code: 'resourcematchfailed', message: 'x' });
    assert.equal(failure.invoke?.status, 200);
    assert.deepEqual(failure.sent, [], `no Sign in card offered for it: ${JSON.stringify(failure.sent)}`);
    await clock.advance(26 * MINUTE);
    await expirySweep(r, clock, swept)();
    const lines = [...auditLinesOf(r), ...swept].map((l) => [l.outcome, (l as { refused?: unknown }).refused]);
    assert.deepEqual(lines, [['failed', 'listChanged']]);
    assert.equal(r.writes().length, 0);
  });
});
