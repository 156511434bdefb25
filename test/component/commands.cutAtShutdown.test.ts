// A typed command cut short at shutdown (the drain's deadline passed with it still under way) and
// Teams delivering it again: "If the bot activity takes more than 15 seconds to process, Teams
// send a retry request to bot endpoint" (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/bot-basics).
// A turn that had sent nothing gives its duplicate mark back when it is given up, so the
// redelivery, on another instance over the same store, runs the command (it was dropped as a
// duplicate, the command silently lost); the given-up turn can then no longer send its write. A
// turn whose write was already under way keeps its mark: the redelivery is dropped, and the
// decision is sent once (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0).

import { strict as assert } from 'node:assert';
import { Records, StateUnavailableError } from '../../src/state/port';
import { TurnDedup } from '../../src/state/turnDedup';
import { Rig, cardsOf } from './botRig';
import { cutPairPerTest, holdFirstGraph } from './cutTurns';
import { FINANCE_REPORTS } from './twoStageCard';
import { holdOnce } from '../fixtures/heldRecords';
import { loadDemoSeed } from '../../src/sandbox/seed';

describe('commands: a turn cut short at shutdown and delivered again', () => {
  let a: Rig;
  let b: Rig;
  let turns: TurnDedup;
  cutPairPerTest((p) => ({ a, b, turns } = p));

  const patches = () => a.tenant.graphRequests().filter((q) => q.method === 'PATCH');
  const typed = `approve access-request ${FINANCE_REPORTS}`;

  it('cut before its write: the redelivery runs the command elsewhere, the cut turn sends nothing', async () => {
    const lynne = a.user(5);
    const read = holdFirstGraph(a, 'GET');
    const cut = a.message(lynne, typed, { id: 'act-cut-before' });
    await read.came;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    // The read answers after the stop gave the turn up: it sends nothing, and says so.
    read.release();
    const late = await cut;
    assert.equal(patches().length, 0, 'the given-up turn sent no decision');
    assert.match(cardsOf(late.sent), /restarting before it sent this to Microsoft Graph, so nothing was sent/);
    const again = await b.message(lynne, typed, { id: 'act-cut-before' });
    assert.match(cardsOf(again.sent), /Approved/, cardsOf(again.sent));
    assert.equal(patches().length, 1, 'the decision is sent once');
    assert.ok(
      a.logs.some((l) => l.event === 'governance.action' && l.outcome === 'failed'),
      'the cut attempt has its audit line',
    );
  });

  it('cut before its write, its read answering after the redelivery began: the cut turn answers nothing', async () => {
    const lynne = a.user(5);
    const read = holdFirstGraph(a, 'GET');
    const cut = a.message(lynne, typed, { id: 'act-cut-redelivered' });
    await read.came;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    const again = await b.message(lynne, typed, { id: 'act-cut-redelivered' });
    assert.match(cardsOf(again.sent), /Approved/, cardsOf(again.sent));
    read.release();
    const late = await cut;
    assert.deepEqual(late.sent, [], 'one answer: the redelivery’s');
    assert.equal(patches().length, 1, 'the decision is sent once');
  });

  it('cut after its write started: the redelivery is dropped, the decision is sent once', async () => {
    const lynne = a.user(5);
    const write = holdFirstGraph(a, 'PATCH');
    const cut = a.message(lynne, typed, { id: 'act-cut-after' });
    await write.came;
    assert.equal(await turns.giveUp(), 0, 'the mark is kept');
    const again = await b.message(lynne, typed, { id: 'act-cut-after' });
    assert.deepEqual(again.sent, [], 'the redelivery is dropped');
    assert.ok(b.logs.some((l) => l.event === 'bot.turn.duplicate'));
    write.release();
    const done = await cut;
    assert.match(cardsOf(done.sent), /Approved/, cardsOf(done.sent));
    assert.equal(patches().length, 1, 'the decision is sent once');
  });
});

// A command that only answers (help, a message that is no command) has nothing to lose by running
// twice: a stop that cuts its answer on its way to Teams gives its mark back, so the redelivery
// answers elsewhere (it was dropped as a duplicate, and the person got no answer if the cut one
// never arrived).
describe('commands: an answer alone cut short at shutdown on its way to Teams and delivered again', () => {
  let a: Rig;
  let b: Rig;
  let turns: TurnDedup;
  cutPairPerTest((p) => ({ a, b, turns } = p));

  for (const [text, answer] of [
    ['help', /Cancel and resume Microsoft Entra ID Governance work/],
    ['hello there', /I did not understand that/],
  ] as const) {
    it(`"${text}": the redelivery answers elsewhere`, async () => {
      const lynne = a.user(5);
      let let_!: () => void;
      a.sendGate = new Promise<void>((r) => (let_ = r));
      const cut = a.message(lynne, text, { id: `act-${text}` });
      while (a.heldSends === 0) await new Promise((r) => setImmediate(r));
      assert.equal(await turns.giveUp(), 1, 'the mark is given back');
      const again = await b.message(lynne, text, { id: `act-${text}` });
      assert.ok(!b.logs.some((l) => l.event === 'bot.turn.duplicate'), 'the redelivery is not dropped');
      assert.match(cardsOf(again.sent), answer, cardsOf(again.sent));
      let_();
      await cut;
    });
  }
});

// "sign out" run twice ends as once (nothing waits for a sign-in, the token is retired, the sign-out
// mark replaced by another): one cut short at shutdown even while it writes gives its mark back, and
// the redelivery signs out elsewhere and answers. The cut one finishes its sign out all the same,
// so while no redelivery has begun it says what is true, "Signed out" (Teams documents a retry of a
// turn slower than 15 s, https://learn.microsoft.com/en-us/microsoftteams/platform/bots/bot-basics,
// not of one whose connection a stop dropped); once one has, it answers nothing.
describe('commands: a sign out cut short at shutdown while it writes and delivered again', () => {
  let a: Rig;
  let b: Rig;
  let turns: TurnDedup;
  let held: ReturnType<typeof holdOnce> | null = null;
  const LYNNE = 5;
  cutPairPerTest(
    (p) => ({ a, b, turns } = p),
    () => ({
      silent: true,
      signOutRecords: (records) => {
        const aad = loadDemoSeed().users[LYNNE]!.id.toLowerCase();
        held = holdOnce(records, 'put', `signin:signedOut:${aad}`);
        return held.records;
      },
    }),
  );

  it('no redelivery yet: the cut turn, its sign out done, says "Signed out"; the redelivery answers too', async () => {
    const lynne = a.user(LYNNE);
    await a.signIn(lynne);
    const cut = a.message(lynne, 'sign out', { id: 'act-sign-out' });
    await held!.reached;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    held!.release();
    const late = await cut;
    assert.match(cardsOf(late.sent), /Signed out/, cardsOf(late.sent));
    assert.equal(a.signInFlow.cachedToken(lynne.aadObjectId), null, 'the kept token is gone');
    const again = await b.message(lynne, 'sign out', { id: 'act-sign-out' });
    assert.match(cardsOf(again.sent), /Signed out/, cardsOf(again.sent));
  });

  it('its write answering after the redelivery began: the cut turn answers nothing', async () => {
    const lynne = a.user(LYNNE);
    const cut = a.message(lynne, 'sign out', { id: 'act-sign-out-redelivered' });
    await held!.reached;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    const again = await b.message(lynne, 'sign out', { id: 'act-sign-out-redelivered' });
    assert.match(cardsOf(again.sent), /Signed out/, cardsOf(again.sent));
    held!.release();
    const late = await cut;
    assert.deepEqual(late.sent, [], 'one answer: the redelivery’s');
  });
});

// A typed command whose sign-in read (the sender's sign-out mark, src/bot/commandSignIn.ts) fails
// because the stop closed the store under it: the turn was given up, so it neither runs nor tells
// of a store outage, and while no redelivery has begun it says it did not run (Teams documents a
// retry of a turn slower than 15 s, https://learn.microsoft.com/en-us/microsoftteams/platform/bots/bot-basics,
// not of one whose connection a stop dropped); once one has, it answers nothing.
describe('commands: a command cut short at shutdown while it reads its sign-in', () => {
  let a: Rig;
  let b: Rig;
  let turns: TurnDedup;
  let held: ReturnType<typeof failOnce> | null = null;
  const LYNNE = 5;
  cutPairPerTest(
    (p) => ({ a, b, turns } = p),
    () => ({
      silent: true,
      signOutRecords: (records) => {
        const aad = loadDemoSeed().users[LYNNE]!.id.toLowerCase();
        held = failOnce(records, `signin:signedOut:${aad}`);
        return held.records;
      },
    }),
  );

  for (const [what, text] of [
    ['an operation', `approve access-request ${FINANCE_REPORTS}`],
    ['a list', 'my approvals'],
  ] as const) {
    it(`${what}, no redelivery yet: the cut turn says it did not run, and nothing was sent to Graph`, async () => {
      const lynne = a.user(LYNNE);
      await a.signIn(lynne);
      held!.arm();
      const cut = a.message(lynne, text, { id: `act-read-cut-${what}` });
      await held!.reached;
      assert.equal(await turns.giveUp(), 1, 'the mark is given back');
      held!.fail();
      const late = await cut;
      const said = cardsOf(late.sent);
      assert.match(said, /Governance Bot was stopping before it (ran this command|posted this list)/, said);
      assert.match(said, /again in a moment/, said);
      assert.doesNotMatch(said, /state|store|unavailable/i, said);
      assert.equal(patches().length, 0);
    });
  }

  it('its read failing after the redelivery began: the cut turn answers nothing', async () => {
    const lynne = a.user(LYNNE);
    await a.signIn(lynne);
    held!.arm();
    const cut = a.message(lynne, typed, { id: 'act-read-cut-redelivered' });
    await held!.reached;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    const again = await b.message(lynne, typed, { id: 'act-read-cut-redelivered' });
    assert.match(cardsOf(again.sent), /Approved/, cardsOf(again.sent));
    held!.fail();
    const late = await cut;
    assert.deepEqual(late.sent, [], 'one answer: the redelivery’s');
    assert.equal(patches().length, 1, 'the decision is sent once');
  });

  const patches = () => a.tenant.graphRequests().filter((q) => q.method === 'PATCH');
  const typed = `approve access-request ${FINANCE_REPORTS}`;
});

/** `records` whose first read of `key` once `arm()`ed waits until `fail()`, then fails as a
 * closed store does. */
function failOnce(records: Records, key: string) {
  let armed = false;
  let reached!: () => void;
  let fail!: () => void;
  const reachedP = new Promise<void>((r) => (reached = r));
  const failed = new Promise<void>((r) => (fail = r));
  let held = false;
  const wrapped: Records = {
    ...records,
    get: async (k) => {
      if (!armed || held || k !== key) return records.get(k);
      held = true;
      reached();
      await failed;
      throw new StateUnavailableError('state store: closed');
    },
  };
  return { records: wrapped, reached: reachedP, fail, arm: () => (armed = true) };
}
