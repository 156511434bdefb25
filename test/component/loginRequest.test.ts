// The Universal Actions login request a card button gets from a user the bot holds no token for,
// in the shape Microsoft documents: statusCode 401 in an HTTP 200 invoke response, an OAuth card
// as value with a non-empty connectionName ("Senders must include a connectionName. Receivers may
// ignore sign in requests with an empty or missing connectionName"), a tokenExchangeResource for
// single sign-on and a signin button with a URL for the fallback.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { BOT_ORIGIN, Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

interface LoginValue {
  connectionName?: unknown;
  tokenExchangeResource?: { id?: unknown };
  buttons?: Array<{ type?: unknown; value?: unknown }>;
}

describe('a card button from a user who is not signed in', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig), {});

  it('gets a loginRequest that names a connection, offers single sign-on and a sign-in URL', async () => {
    const megan = r.user(0);
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.postCard(megan, 'card-1', target);
    const login = await r.click(megan, target, 'card-1');
    assert.equal(login.status, 200, 'the HTTP status of a processed adaptiveCard/action is 200');
    assert.equal(login.body.statusCode, 401);
    assert.equal(login.body.type, 'application/vnd.microsoft.activity.loginRequest');
    const value = login.body.value as LoginValue;
    assert.equal(typeof value.connectionName, 'string');
    assert.notEqual(value.connectionName, '', 'Teams may ignore a login request without a connection name');
    assert.equal(typeof value.tokenExchangeResource?.id, 'string');
    assert.notEqual(value.tokenExchangeResource?.id, '');
    const button = value.buttons?.[0];
    assert.equal(button?.type, 'signin');
    assert.equal(button?.value, `${BOT_ORIGIN}/auth/start?s=${String(value.tokenExchangeResource?.id)}`);
    assert.equal(r.writes().length, 0);
  });
});
