// A press Teams re-sent with the presser's SSO token after the bot's loginRequest (Universal
// Actions' single sign-on), whose token fails the exchange (MFA required), while the bot's state
// store fails to note why for the sign-in's start page. The doc: "Receivers that experience an
// error while performing token exchange must respond with an error or a second login request that
// doesn't include SSO information. If responding with an error, the error must be: statusCode 412,
// application/vnd.microsoft.error.preconditionFailed".
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action
// So the store's failure is logged and the press is still answered 412 with the same words (never a
// turn error, which leaves the presser without the Sign in button); it writes no audit line of its
// own: the press its first loginRequest remembered still waits and writes it when it ends.

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import type { Target } from '../../src/domain/operations';
import type { Records } from '../../src/state/port';
import { Rig, User } from './botRig';
import { failingOn } from './failingStore';
import { keepRequestsShowing } from './listSession';
import { rigPerTest } from './rigPerTest';
import { auditLinesOf } from './waitingCommand';

const PRECONDITION = 'application/vnd.microsoft.error.preconditionFailed';

interface ActionBody {
  statusCode: number;
  type: string;
  value: unknown;
}

describe('a re-sent press whose SSO token fails while the store fails to note why', () => {
  let r: Rig;
  let isaiah: User;
  let target: Target;
  const pending = { records: null as (Records & { failing: boolean }) | null };
  rigPerTest(
    (rig) => {
      r = rig;
      isaiah = r.user(r.seed.users.findIndex((u) => u.id === r.seed.selfService.mfaUserId));
      target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.selfService.mfaUserRoleRequestId } };
    },
    {
      silent: false,
      pendingRecords: (inner) => (pending.records = failingOn(inner, (k) => k.startsWith('signin:'))),
    },
  );

  /** Sends the press again with the token while only the sign-in entries fail; its answer. */
  async function resentWhileDown(send: () => Promise<ActionBody>): Promise<{ body: ActionBody; lines: number }> {
    const before = auditLinesOf(r).length;
    pending.records!.failing = true;
    const body = await send().finally(() => (pending.records!.failing = false));
    await r.bot.idle();
    return { body, lines: auditLinesOf(r).length - before };
  }

  function answered412(body: ActionBody, lines: number): void {
    assert.equal(body.statusCode, 412, JSON.stringify(body));
    assert.equal(body.type, PRECONDITION);
    assert.match(JSON.stringify(body.value), /press the button again/i);
    assert.doesNotMatch(JSON.stringify(body.value), /went wrong/i);
    assert.equal(lines, 0, 'no line of its own: the remembered press writes it');
    assert.deepEqual(
      r.logs.filter((l) => l.event === 'bot.invoke.failed' || l.event === 'bot.turn.failed'),
      [],
      'no turn error',
    );
    assert.ok(
      r.logs.some((l) => l.event !== undefined && /signIn\.failed$/.test(String(l.event)) && l.store !== undefined),
      "the store's failure is logged",
    );
    assert.equal(r.writes().length, 0, 'nothing sent to Graph');
  }

  it("a notification card's button: 412 with the same words, and the press still waits", async () => {
    await r.postCard(isaiah, 'card-1', target);
    const login = await r.click(isaiah, target, 'card-1');
    const id = (login.body.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    const authentication = { id, connectionName: 'GovernanceBotSignIn', token: r.sso(isaiah) };
    const { body, lines } = await resentWhileDown(
      async () => (await r.click(isaiah, target, 'card-1', { authentication })).body as ActionBody,
    );
    answered412(body, lines);
    assert.equal(await r.signInFlow.latestFor(isaiah.aadObjectId), id, 'its sign-in still remembers the press');
    // The same words as when the store notes it.
    const again = (await r.click(isaiah, target, 'card-1', { authentication })).body as ActionBody;
    assert.deepEqual(again, body);
  });

  it("a list row's button: 412 with the same words, and the press still waits", async () => {
    await r.postCard(isaiah, 'list-1', target);
    await keepRequestsShowing(r, isaiah, 'list-1', target);
    const data = pressedData(target, { list: 'requests' });
    const press = async (extra = {}) =>
      (
        await r.invoke(
          isaiah,
          'adaptiveCard/action',
          { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual', ...extra },
          { replyToId: 'list-1' },
        )
      ).invoke?.body as ActionBody;
    const asked = await press();
    assert.equal(asked.statusCode, 401, JSON.stringify(asked));
    const id = (asked.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    const authentication = { id, connectionName: 'GovernanceBotSignIn', token: r.sso(isaiah) };
    const { body, lines } = await resentWhileDown(() => press({ authentication }));
    answered412(body, lines);
    assert.equal(await r.signInFlow.latestFor(isaiah.aadObjectId), id, 'its sign-in still remembers the press');
    assert.deepEqual(await press({ authentication }), body, 'the same words as when the store notes it');
  });
});
