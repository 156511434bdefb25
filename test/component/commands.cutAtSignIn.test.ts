// A typed command given up at shutdown while its sign-in was under way (the drain's deadline
// passed with it still waiting for the on-behalf-of exchange): it gave its duplicate mark back, so
// Teams' redelivery ("If the bot activity takes more than 15 seconds to process, Teams send a retry
// request to bot endpoint", https://learn.microsoft.com/en-us/microsoftteams/platform/bots/bot-basics)
// runs the command on another instance. Whatever the sign-in then answers, the given-up turn does
// nothing more: it keeps no command for after a sign-in (a Sign in card whose command would run a
// second time) and writes no refusal's audit line; only the redelivery's run acts. While no
// redelivery has begun (Teams may never send one for a connection a stop dropped) it says only that
// the command did not run, as every given-up turn does (src/bot/turnMark.ts givenUpAnswer).

import { strict as assert } from 'node:assert';
import { SignInRequiredError } from '../../src/domain/errors';
import { TurnDedup } from '../../src/state/turnDedup';
import { Rig, RigOptions, cardsOf } from './botRig';
import { cutPairPerTest, holdFirstGraph, tokenRefused } from './cutTurns';
import { FINANCE_REPORTS } from './twoStageCard';

describe('commands: a turn given up at shutdown while its sign-in was under way', () => {
  let a: Rig;
  let b: Rig;
  let turns: TurnDedup;
  let came: Promise<void>;
  let release: (reason: 'mfa' | 'unknown') => void;
  cutPairPerTest(
    (p) => ({ a, b, turns } = p),
    () => {
      let reached!: () => void;
      came = new Promise<void>((r) => (reached = r));
      const answer = new Promise<'mfa' | 'unknown'>((r) => (release = r));
      // Entra's exchange is held until the test answers it with a refusal for `reason`.
      const obo: RigOptions['obo'] = () => ({
        exchange: () => {
          reached();
          return answer.then((reason) =>
            Promise.reject(new SignInRequiredError('Entra refused the exchange.', reason)),
          );
        },
      });
      return { silent: true, obo };
    },
  );

  const patches = () => a.tenant.graphRequests().filter((q) => q.method === 'PATCH');
  const typed = `approve access-request ${FINANCE_REPORTS}`;

  for (const [reason, would] of [
    ['mfa', 'a Sign in card, its command kept for after the sign-in'],
    ['unknown', 'a refusal and its audit line'],
  ] as const) {
    it(`the sign-in answers "${reason}" after the give-up: not ${would}; the redelivery runs it`, async () => {
      const lynne = a.user(5);
      const cut = a.message(lynne, typed, { id: `act-cut-signin-${reason}` });
      await came;
      assert.equal(await turns.giveUp(), 1, 'the mark is given back');
      release(reason);
      const late = await cut;
      assert.equal(late.sent.length, 1, cardsOf(late.sent));
      assert.match(cardsOf(late.sent), /stopping before it ran this command, so nothing was changed/);
      assert.ok(!JSON.stringify(late.sent).includes('application/vnd.microsoft.card.oauth'), 'no Sign in card');
      assert.ok(a.logs.some((l) => l.event === 'bot.turn.givenUp'));
      assert.ok(!a.logs.some((l) => l.event === 'governance.action'), 'no audit line for the given-up turn');
      const again = await b.message(lynne, typed, { id: `act-cut-signin-${reason}` });
      assert.match(cardsOf(again.sent), /Approved/, cardsOf(again.sent));
      assert.equal(patches().length, 1, 'the decision is sent once');
    });
  }
});

// Graph refusing the token of the read before the write (401, https://learn.microsoft.com/en-us/graph/errors)
// asks the person to sign in again and keeps the command for after it; a turn given up while that
// read was under way keeps nothing either: its redelivery already runs the command elsewhere.
describe('commands: a turn given up at shutdown whose read Graph then refuses for its token', () => {
  let a: Rig;
  let b: Rig;
  let turns: TurnDedup;
  cutPairPerTest(
    (p) => ({ a, b, turns } = p),
    () => ({}),
  );

  it('no Sign in card and no command kept on the given-up turn; the redelivery runs it', async () => {
    const lynne = a.user(5);
    await a.signIn(lynne);
    await b.signIn(lynne);
    const lines = () => a.logs.filter((l) => l.event === 'governance.action').length;
    const before = lines();
    const { came, release } = holdFirstGraph(a, 'GET', tokenRefused);
    const id = 'act-cut-read-401';
    const cut = a.message(lynne, `approve access-request ${FINANCE_REPORTS}`, { id });
    await came;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    release();
    const late = await cut;
    assert.deepEqual(late.sent, [], cardsOf(late.sent));
    assert.ok(a.logs.some((l) => l.event === 'bot.turn.givenUp'));
    assert.equal(lines(), before, 'no audit line for the given-up turn');
    const again = await b.message(lynne, `approve access-request ${FINANCE_REPORTS}`, { id });
    assert.match(cardsOf(again.sent), /Approved/, cardsOf(again.sent));
    assert.equal(a.tenant.graphRequests().filter((q) => q.method === 'PATCH').length, 1, 'the decision is sent once');
  });
});
