// Contract §5.3 (../shared/contract.md) over real HTTP: a signin/tokenExchange whose token cannot
// be exchanged on behalf of the user is a failed exchange: the bot answers 412 (so Teams shows the
// card's Sign in button) and tells the user what to do, and the remembered command does not run.
// Microsoft: a failed signin/tokenExchange is answered with TokenExchangeInvokeResponse
// {id, connectionName, failureDetail} and HTTP 412 PreconditionFailed, which makes Teams fall back
// to the sign-in card:
// https://learn.microsoft.com/en-us/dotnet/api/microsoft.teams.apps.oauth.tokenexchangeinvokeresponse?view=msteams-sdk-dotnet-latest
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code

import { strict as assert } from 'node:assert';
import { Who, World, isCard } from './harness';
import { contractSession } from './contractSession';

describe('contract: a token exchange that fails', function () {
  this.timeout(60_000);
  const session = contractSession();
  const { say, exchange, signOut, messagesTo } = session;
  let world: World;
  let admin: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, admin } = session);
  });

  it('answers 412 and tells the user what to do when the token is not one Entra can exchange', async () => {
    await signOut(admin);
    const first = await say(admin, `cancel role-request ${world.seed.examples.roleRequestId}`);
    assert.ok(isCard(first.reply, 'application/vnd.microsoft.card.oauth'), 'an OAuth card first');
    const mark = world.calls.length;
    // Not a token Entra issued: the on-behalf-of exchange of it can only fail.
    const res = await exchange(admin, first.reply, 'not-a-token');
    assert.equal(res.status, 412, res.body);
    const body = JSON.parse(res.body) as { id?: string; failureDetail?: string };
    assert.ok(body.failureDetail, 'failureDetail says why');
    const told = await world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === first.conv && c.activity.type === 'message',
    );
    assert.ok(typeof told.activity.summary === 'string' && told.activity.summary.length > 0);
    assert.equal(messagesTo(first.conv, mark).length, 1, 'one message that says what to do');
    assert.equal(world.tenant.graphRequests().length, 0, 'the command did not run');
  });
});
