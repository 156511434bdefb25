// A button's press Teams re-sent after the bot's sign-in pages, with a `state` the bot cannot use
// (unknown, used, expired, another user's): Teams' answer for it is statusCode 401,
// `application/vnd.microsoft.error.invalidAuthCode`, no value ("If the value in the state field is
// incorrect, the bot returns an error"), not 412 preconditionFailed ("The SSO authentication flow
// failed"), and not one more login request:
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
// That answer carries no words, so the card a verifyState gets goes to the conversation; when
// Teams does not take that card, the answer still goes, and nothing is remembered to run.

import { strict as assert } from 'node:assert';
import type { TurnContext } from 'botbuilder';
import pino from 'pino';
import type { SignInFlow } from '../../src/auth/sso';
import type { Target } from '../../src/domain/operations';
import type { PendingCommand } from '../../src/bot/commandTurns';
import { resentWithState, ResentDeps } from '../../src/bot/resentPress';
import type { Reply } from '../../src/bot/replies';
import type { VerifyProblem } from '../../src/state/signInStates';

const USER = { aadObjectId: '00000000-0000-4000-8000-00000000000a', tenantId: '00000000-0000-4000-8000-0000000000aa' };
const TARGET: Target = { operation: 'cancelRoleRequest', ids: { requestId: '00000000-0000-4000-8000-0000000000bb' } };

function setup(problem: VerifyProblem, sendFails: boolean) {
  const sent: unknown[] = [];
  const remembered: unknown[] = [];
  const ctx = {
    activity: { value: { action: { type: 'Action.Execute' }, state: 'a-state' } },
    sendActivity: async (a: unknown) => {
      if (sendFails) throw new Error('connector refused');
      sent.push(a);
      return { id: 'notice-1' };
    },
  } as unknown as TurnContext;
  const deps: ResentDeps = {
    signIn: { verify: async () => ({ kind: 'problem', problem }) } as unknown as SignInFlow<PendingCommand>,
    commands: {
      signInCard: async (...args: unknown[]) => {
        remembered.push(args);
        return { contentType: 'application/vnd.microsoft.card.oauth', content: {} };
      },
    },
    cards: {
      info: (title: string, text: string) =>
        ({ summary: title, attachment: { contentType: 'x', content: { title, text } } }) as unknown as Reply,
    },
    logger: pino({ level: 'silent' }),
  };
  return { ctx, deps, sent, remembered };
}

const INCORRECT = {
  status: 200,
  body: { statusCode: 401, type: 'application/vnd.microsoft.error.invalidAuthCode' },
};

describe('a press re-sent with a sign-in state the bot cannot use', () => {
  for (const problem of ['unknown', 'expired', 'otherUser'] as const) {
    it(`${problem}: 401 invalidAuthCode (no value), its card posted, nothing remembered`, async () => {
      const { ctx, deps, sent, remembered } = setup(problem, false);
      const answer = await resentWithState(deps, ctx, 'execute', USER, TARGET);
      assert.deepEqual(answer, INCORRECT);
      assert.equal(sent.length, 1, 'the card that says what to do');
      assert.deepEqual(remembered, [], 'no new sign-in is remembered for this press');
    });
  }

  it('the card not taken by Teams: the 401 still answers the press', async () => {
    const { ctx, deps, remembered } = setup('unknown', true);
    const answer = await resentWithState(deps, ctx, 'execute', USER, TARGET);
    assert.deepEqual(answer, INCORRECT);
    assert.deepEqual(remembered, []);
  });
});
