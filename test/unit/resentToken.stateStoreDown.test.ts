// A press re-sent with the sign-in pages' `state` and refused by its checks ends the press its
// sign-in remembered (endRefusedResent). When the state store fails as that sign-in is looked up,
// the refusal still answers the press: the failure is logged as the store's, nothing is thrown into
// the turn, and the refusal's line is not the press's (false): the press its sign-in remembered may
// still wait, and ends with the one line (contract §6: one audit line per command).
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards

import { strict as assert } from 'node:assert';
import type { TurnContext } from 'botbuilder';
import pino from 'pino';
import type { SignInFlow } from '../../src/auth/sso';
import type { Target } from '../../src/domain/operations';
import type { PendingCommand } from '../../src/bot/commandTurns';
import { endRefusedResent } from '../../src/bot/resentToken';
import { StateUnavailableError } from '../../src/state/port';

const USER = { aadObjectId: '00000000-0000-4000-8000-00000000000a', tenantId: '00000000-0000-4000-8000-0000000000aa' };
const TARGET: Target = { operation: 'cancelRoleRequest', ids: { requestId: '00000000-0000-4000-8000-0000000000bb' } };
const ctx = { activity: { value: { action: { type: 'Action.Execute' }, state: 'a-state' } } } as unknown as TurnContext;

describe('a refused press re-sent with a state, the store failing at its sign-in’s look', () => {
  it('logs the store failure, throws nothing into the turn, and leaves the line to the remembered press', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
    const signIn = {
      stateSignIn: async () => {
        throw new StateUnavailableError('state store: down');
      },
      takeResent: async () => assert.fail('nothing is taken'),
    } as unknown as SignInFlow<PendingCommand>;
    assert.equal(await endRefusedResent({ signIn, logger }, ctx, 'execute', USER, TARGET, 'card.signIn.failed'), false);
    assert.deepEqual(
      lines.map((l) => [l.event, l.reason]),
      [['card.signIn.failed', 'stateUnavailable']],
    );
    assert.ok(!JSON.stringify(lines).includes('a-state'), 'the state is not logged');
  });
});
