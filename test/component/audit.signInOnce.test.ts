// Contract §6: "Every valid command that names an operation writes one JSON line to stdout when it
// ends" and "correlationId is fresh per command". Contract §5: a user with no usable token gets an
// OAuth card and the bot "remembers the command"; a failed exchange is answered 412 "so Teams shows
// the sign-in button" (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code),
// and the command stays remembered (README, "How a command runs": "The command stays remembered
// until the exchange succeeds"). A failed exchange is therefore not the command's end: a command
// whose sign-in first fails and then succeeds ends once, when it runs, with one audit line.

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

describe('a command whose sign-in fails, then succeeds, writes one audit line', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig), {});

  const audits = () => r.logs.filter((l) => l.event === 'governance.action');
  const target = (): Target => ({ operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } });

  it('a typed command: a failed exchange writes none, the run after the good one writes its one line', async () => {
    const [megan, adele] = [r.user(0), r.user(1)];
    const asked = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    const id = (asked.sent[0]!.attachments![0]!.content as { tokenExchangeResource: { id: string } })
      .tokenExchangeResource.id;
    // Another user's token: the exchange fails (412) and the command still waits for Megan.
    const wrong = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(adele) });
    assert.equal(wrong.invoke?.status, 412);
    await r.bot.idle();
    assert.equal(audits().length, 0, `the command has not ended: ${JSON.stringify(audits())}`);
    const good = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    assert.equal(good.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'the remembered command ran once');
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.equal(audits()[0]?.outcome, 'succeeded', JSON.stringify(audits()[0]));
  });

  it('a card press: a failed sign-in of its re-sent click writes none, the run after sign-in writes its one line', async () => {
    const [megan, adele] = [r.user(0), r.user(1)];
    await r.postCard(megan, 'card-1', target());
    const login = await r.click(megan, target(), 'card-1');
    const id = (login.body.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    // Teams re-sends the click with an SSO token that is not the clicker's: refused with 412.
    const wrong = await r.click(megan, target(), 'card-1', {
      authentication: { id, connectionName: '', token: r.sso(adele) },
    });
    assert.equal(wrong.body.statusCode, 412);
    await r.bot.idle();
    assert.equal(audits().length, 0, `the press has not ended: ${JSON.stringify(audits())}`);
    const good = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    assert.equal(good.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'the remembered press ran once');
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.equal(audits()[0]?.outcome, 'succeeded', JSON.stringify(audits()[0]));
  });
});
