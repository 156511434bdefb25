// A press re-sent with the sign-in pages' `state` whose remembered press ended between the look
// that found it waiting (resentPressRan) and the state's verify: the verify finds it ran, or
// answered without running, and this sending runs nothing (contract §6: one audit line per
// command), told as a press re-sent with the SSO token whose press ran.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards

import { strict as assert } from 'node:assert';
import type { TurnContext } from 'botbuilder';
import pino from 'pino';
import type { SignInFlow } from '../../src/auth/sso';
import type { VerifyOutcome } from '../../src/auth/signInResults';
import type { Target } from '../../src/domain/operations';
import type { PendingCommand } from '../../src/bot/commandTurns';
import { resentWithState, ResentDeps } from '../../src/bot/resentPress';
import { PRESS_ANSWERED, PRESS_RAN } from '../../src/bot/resentToken';

const USER = { aadObjectId: '00000000-0000-4000-8000-00000000000a', tenantId: '00000000-0000-4000-8000-0000000000aa' };
const TARGET: Target = { operation: 'cancelRoleRequest', ids: { requestId: '00000000-0000-4000-8000-0000000000bb' } };

function deps(outcome: VerifyOutcome<PendingCommand>): ResentDeps {
  return {
    signIn: { verify: async () => outcome } as unknown as SignInFlow<PendingCommand>,
    commands: {
      signInCard: async () => {
        throw new Error('no new sign-in is asked for');
      },
    },
    cards: { info: () => assert.fail('no card') },
    logger: pino({ level: 'silent' }),
  };
}

const ctx = { activity: { value: { action: { type: 'Action.Execute' }, state: 'a-state' } } } as unknown as TurnContext;

describe('a press re-sent with a state whose remembered press ended meanwhile', () => {
  it('ran: the press runs nothing and says it ran', async () => {
    const answer = await resentWithState(
      deps({ kind: 'signedIn', payload: null, ran: true }),
      ctx,
      'execute',
      USER,
      TARGET,
    );
    assert.deepEqual(answer, {
      status: 200,
      body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: PRESS_RAN },
    });
  });

  it('answered without running: it says so', async () => {
    const outcome = { kind: 'signedIn', payload: null, ran: true, answered: true } as const;
    const answer = await resentWithState(deps(outcome), ctx, 'execute', USER, TARGET);
    assert.deepEqual(answer, {
      status: 200,
      body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: PRESS_ANSWERED },
    });
  });

  it('gone without running (expired, or forgotten): this press, signed in now, goes on', async () => {
    assert.equal(await resentWithState(deps({ kind: 'signedIn', payload: null }), ctx, 'execute', USER, TARGET), true);
  });
});
