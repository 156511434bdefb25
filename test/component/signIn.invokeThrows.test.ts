// An exception inside a sign-in invoke's handler tells the user, as every failed invoke does: an
// error card naming the reference of its one error line. Teams renders no card from the answer of
// these invokes, so the card goes as a message in the conversation, and the invoke is answered
// with a status Teams takes: signin/tokenExchange 412 with `{id, connectionName, failureDetail}`
// (Teams falls back to the sign-in button), signin/verifyState and signin/failure 200.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code#handle-an-invoke-activity
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { GovernanceBotDeps } from '../../src/bot/governanceBot';
import { Rig, cardsOf } from './botRig';

/** The sign-in flow with every call throwing what no handler expects. */
function throwing(flow: GovernanceBotDeps['signIn']): GovernanceBotDeps['signIn'] {
  return new Proxy(flow, {
    get: (target, key, receiver) => {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return () => {
        throw new TypeError("Cannot read properties of undefined (reading 'reference') at /srv/app/dist/x.js:1");
      };
    },
  });
}

describe('a sign-in invoke whose handler throws', () => {
  let dir: string;
  let rigs: Rig[];
  const rig = () => {
    const r = new Rig(dir, { extend: (x) => ({ deps: { signIn: throwing(x.signInFlow) } }) });
    rigs.push(r);
    return r;
  };
  beforeEach(() => {
    dir = Rig.dir();
    rigs = [];
  });
  afterEach(async () => {
    for (const r of rigs) await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const told = (r: Rig, sent: Parameters<typeof cardsOf>[0]) => {
    const failures = r.logs.filter((l) => l.event === 'bot.invoke.failed');
    assert.equal(failures.length, 1, 'logged once');
    const id = String(failures[0]!.correlationId);
    const cards = cardsOf(sent);
    assert.match(cards, /Something went wrong on my side/);
    assert.ok(cards.includes(id), 'the card names the correlation id');
    assert.doesNotMatch(cards, /\/srv|at .*\.js|TypeError/, 'no internals');
    assert.ok(
      sent.every((a) => a.summary),
      'the message has its summary',
    );
    return id;
  };

  it('signin/verifyState: 200, and the error card as a message', async () => {
    const r = rig();
    const res = await r.invoke(r.user(0), 'signin/verifyState', { state: '123456' });
    assert.equal(res.invoke?.status, 200);
    assert.equal(res.sent.length, 1);
    told(r, res.sent);
  });

  it('signin/failure: 200, and the error card as a message', async () => {
    const r = rig();
    const res = await r.invoke(r.user(0), 'signin/failure', { code: 'resourcematchfailed', message: 'm' });
    assert.equal(res.invoke?.status, 200);
    assert.equal(res.sent.length, 1);
    told(r, res.sent);
  });

  it('signin/tokenExchange: 412 echoing id and connection name, and the error card as a message', async () => {
    const r = rig();
    const megan = r.user(0);
    const res = await r.invoke(megan, 'signin/tokenExchange', { id: 'x-1', connectionName: 'c', token: r.sso(megan) });
    assert.equal(res.invoke?.status, 412);
    const body = res.invoke?.body as { id: string; connectionName: string; failureDetail: string };
    assert.equal(body.id, 'x-1');
    assert.equal(body.connectionName, 'c');
    assert.equal(res.sent.length, 1);
    const id = told(r, res.sent);
    assert.ok(body.failureDetail.includes(id));
  });

  it("in a channel, a token exchange (every member's client sends one) posts nothing for everyone", async () => {
    const r = rig();
    const megan = r.user(0);
    const conversation = {
      id: '19:ops@thread.tacv2',
      conversationType: 'channel',
      isGroup: true,
      tenantId: r.seed.tenantId,
    };
    const value = { id: 'x-2', connectionName: '', token: r.sso(megan) };
    const exchange = await r.invoke(megan, 'signin/tokenExchange', value, { conversation } as never);
    assert.equal(exchange.invoke?.status, 412);
    assert.equal(exchange.sent.length, 0);
    const verify = await r.invoke(megan, 'signin/verifyState', { state: '123456' }, { conversation } as never);
    assert.equal(verify.invoke?.status, 200);
    assert.equal(verify.sent.length, 1, 'verifyState comes from the one person who signed in');
  });

  // Each of the user's Teams clients sends the card's token exchange, with the same id, and reports
  // the same failure: "If a user is signed into multiple Teams clients, the Bot could receive a
  // signin/tokenExchange from each client. Each token exchange request for a specific user login
  // will have an identical activity.value.id."
  // https://learn.microsoft.com/en-us/javascript/api/botbuilder/teamsssotokenexchangemiddleware
  it("tells a failure once, however many of the user's clients send the same invoke", async () => {
    const r = rig();
    const megan = r.user(0);
    const exchange = { id: 'x-3', connectionName: '', token: r.sso(megan) };
    const first = await r.invoke(megan, 'signin/tokenExchange', exchange);
    const second = await r.invoke(megan, 'signin/tokenExchange', exchange);
    assert.deepEqual([first.invoke?.status, second.invoke?.status], [412, 412]);
    assert.deepEqual([first.sent.length, second.sent.length], [1, 0], 'one card for one sign-in');
    assert.equal(r.logs.filter((l) => l.event === 'bot.invoke.failed').length, 2, 'each failure logged once');
    const another = await r.invoke(megan, 'signin/tokenExchange', { ...exchange, id: 'x-4' });
    assert.equal(another.sent.length, 1, "another sign-in's failure is told");
    const failure = { code: 'resourcematchfailed', message: 'm' };
    const reports = [
      await r.invoke(megan, 'signin/failure', failure),
      await r.invoke(megan, 'signin/failure', failure),
    ];
    assert.deepEqual(
      reports.map((x) => [x.invoke?.status, x.sent.length]),
      [
        [200, 1],
        [200, 0],
      ],
    );
  });

  it('a message Teams refuses leaves the invoke answered as before', async () => {
    const r = rig();
    r.failSends = 1;
    const res = await r.invoke(r.user(0), 'signin/verifyState', { state: '123456' });
    assert.equal(res.invoke?.status, 200);
    assert.equal(r.logs.filter((l) => l.event === 'bot.invoke.failed').length, 1);
  });

  it("a card Teams refused for one client's token exchange is told for the next client's", async () => {
    const r = rig();
    const megan = r.user(0);
    const exchange = { id: 'x-5', connectionName: '', token: r.sso(megan) };
    r.failSends = 1;
    const refused = await r.invoke(megan, 'signin/tokenExchange', exchange);
    assert.equal(refused.invoke?.status, 412);
    const next = await r.invoke(megan, 'signin/tokenExchange', exchange);
    assert.equal(next.sent.length, 1);
    const failures = r.logs.filter((l) => l.event === 'bot.invoke.failed');
    assert.equal(failures.length, 2, 'each failure logged once');
    assert.ok(cardsOf(next.sent).includes(String(failures[1]!.correlationId)), "the card names the next's reference");
  });
});
