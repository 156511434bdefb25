// The bot's own state store fails (SQLite busy or unwritable, Azure Storage answering 503) while a
// sign-in completes: nothing is wrong with the person's sign-in, so the words never say to sign in
// afresh or to sign out of Teams; they say to try again in a moment, with a reference that the one
// error line in the log carries too (never a token). The exchange is still answered 412, so Teams
// shows the card's Sign in button (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code),
// and the command the card remembered still waits and runs once the store answers again. The
// click Teams re-sends with the token after a loginRequest is answered 412 preconditionFailed
// (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action).
// Here the store fails on the read of the user's sign-out mark, the store read every exchange makes.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import type { Target } from '../../src/domain/operations';
import { Records, StateUnavailableError } from '../../src/state/port';
import { Rig, User, cardsOf } from './botRig';
import { rigPerTest } from './rigPerTest';

/** The sign-out marks' records, whose reads fail while `failing`. */
function failingMarks(records: Records): Records & { failing: boolean } {
  const r: Records & { failing: boolean } = {
    failing: false,
    get: (key) =>
      r.failing && key.startsWith('signin:signedOut:')
        ? Promise.reject(new StateUnavailableError('state store: get failed (SQLITE_BUSY)'))
        : records.get(key),
    create: (key, value, expiry) => records.create(key, value, expiry),
    replace: (key, value, version, expiry) => records.replace(key, value, version, expiry),
    put: (key, value, expiry) => records.put(key, value, expiry),
    delete: (key, version) => records.delete(key, version),
  };
  return r;
}

/** The waiting sign-ins' records, whose writes that end a lease (an entry written without one) fail
 * while `failing`; taking the lease still works. */
function failingReplace(records: Records): Records & { failing: boolean } {
  const r: Records & { failing: boolean } = {
    failing: false,
    get: (key) => records.get(key),
    create: (key, value, expiry) => records.create(key, value, expiry),
    replace: (key, value, version, expiry) =>
      r.failing && (value as { lease?: unknown }).lease === undefined
        ? Promise.reject(new StateUnavailableError('state store: replace failed (SQLITE_BUSY)'))
        : records.replace(key, value, version, expiry),
    put: (key, value, expiry) => records.put(key, value, expiry),
    delete: (key, version) => records.delete(key, version),
  };
  return r;
}

const SIGN_IN_AFRESH = /sign out of Teams|sign in again|sign in afresh/i;

/** The one error line of the failure: its correlation id is the reference the person was given. */
function oneErrorLine(rig: Rig, said: string, token: string): Record<string, unknown> {
  const errors = rig.logs.filter((l) => l.level === 'error' || l.level === 'fatal');
  assert.equal(errors.length, 1, `one error line: ${JSON.stringify(errors)}`);
  const line = errors[0]!;
  assert.equal(line.reason, 'stateUnavailable');
  assert.match(String(line.correlationId), /^[0-9a-f-]{36}$/);
  assert.ok(said.includes(String(line.correlationId)), 'the person can give the same reference');
  assert.ok(!JSON.stringify(rig.logs).includes(token), 'no token in the log');
  return line;
}

/** A typed command that waits for sign-in: the id of its OAuth card's token exchange. */
async function waitingCommand(rig: Rig, user: User): Promise<string> {
  const typed = await rig.message(user, `cancel role-request ${rig.seed.examples.roleRequestId}`);
  const oauth = typed.sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'))
    ?.content as { tokenExchangeResource: { id: string } };
  return oauth.tokenExchangeResource.id;
}

/** The words of an exchange the store interrupted: its storage, in a moment, never sign in afresh. */
function saysStoreInAMoment(said: string): void {
  assert.match(said, /storage/i, said);
  assert.match(said, /in a moment/i);
  assert.doesNotMatch(said, SIGN_IN_AFRESH);
}

describe('sign-in: the state store fails during the token exchange', function () {
  this.timeout(20_000);
  let r: Rig;
  let marks: ReturnType<typeof failingMarks>;
  let megan: User;
  const withFailingMarks = (silent: boolean) =>
    rigPerTest(
      (rig) => {
        r = rig;
        megan = rig.user(0);
      },
      { silent, signOutRecords: (inner) => (marks = failingMarks(inner)) },
    );

  describe('Teams signs the person in', () => {
    withFailingMarks(false);

    it('signin/tokenExchange: 412, "try again in a moment", and the command still runs afterwards', async () => {
      const id = await waitingCommand(r, megan);
      const token = r.sso(megan);
      marks.failing = true;
      const exchange = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token });
      marks.failing = false;
      assert.equal(exchange.invoke?.status, 412, 'Teams shows the card’s Sign in button');
      const said = cardsOf(exchange.sent as Array<Partial<Activity>>);
      saysStoreInAMoment(said);
      const line = oneErrorLine(r, said, token);
      assert.equal(line.event, 'signin.tokenExchange.failed');
      assert.equal(r.writes().length, 0);

      // The command is still remembered: the card's next exchange runs it, once.
      assert.equal((await r.signInFlow.pendingView(id))?.aadObjectId, megan.aadObjectId.toLowerCase());
      const again = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token });
      assert.equal(again.invoke?.status, 200);
      await r.bot.idle();
      assert.equal(r.writes().length, 1, 'the remembered command ran');
    });

    it('a click Teams re-sends with the SSO token: 412 preconditionFailed that says to press again in a moment', async () => {
      const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
      await r.postCard(megan, 'card-1', target);
      const token = r.sso(megan);
      marks.failing = true;
      const answer = await r.click(megan, target, 'card-1', {
        authentication: { id: 'login-1', connectionName: 'x', token },
      });
      marks.failing = false;
      assert.equal(answer.body.statusCode, 412);
      assert.equal(answer.body.type, 'application/vnd.microsoft.error.preconditionFailed');
      const said = JSON.stringify(answer.body.value);
      assert.match(said, /press the button again in a moment/i, said);
      assert.doesNotMatch(said, SIGN_IN_AFRESH);
      assert.equal(oneErrorLine(r, said, token).event, 'card.signIn.failed');
      assert.equal(r.writes().length, 0);
    });
  });

  describe('the store also fails as the exchange lets go of the command', () => {
    let pendingFailing: ReturnType<typeof failingReplace>;
    rigPerTest(
      (rig) => {
        r = rig;
        megan = rig.user(0);
      },
      {
        silent: false,
        signOutRecords: (inner) => (marks = failingMarks(inner)),
        pendingRecords: (inner) => (pendingFailing = failingReplace(inner)),
      },
    );

    it('the same words and one error line; the command is still remembered, held until its lease ends', async () => {
      const id = await waitingCommand(r, megan);
      const token = r.sso(megan);
      marks.failing = true;
      pendingFailing.failing = true;
      const exchange = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token });
      marks.failing = false;
      pendingFailing.failing = false;
      assert.equal(exchange.invoke?.status, 412);
      const said = cardsOf(exchange.sent as Array<Partial<Activity>>);
      saysStoreInAMoment(said);
      assert.equal(oneErrorLine(r, said, token).event, 'signin.tokenExchange.failed');
      assert.ok(
        r.logs.some((l) => l.event === 'signin.tokenExchange.notNoted'),
        'the lease could not be ended',
      );
      // Remembered, under the failed exchange's lease: the sign-in pages, which do not wait for it,
      // still find it for the card's Sign in.
      assert.equal((await r.signInFlow.pendingView(id))?.aadObjectId, megan.aadObjectId.toLowerCase());
      assert.equal(r.writes().length, 0);
    });
  });

  describe('silent sign-in (the sandbox hands out SSO tokens)', () => {
    withFailingMarks(true);

    it('a typed command: send it again in a moment, with no promise that it runs by itself', async () => {
      marks.failing = true;
      const typed = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
      marks.failing = false;
      const said = cardsOf(typed.sent as Array<Partial<Activity>>);
      assert.match(said, /send the command again in a moment/i, said);
      assert.doesNotMatch(said, /command then runs/i, 'nothing remembered it');
      assert.doesNotMatch(said, SIGN_IN_AFRESH);
      assert.equal(oneErrorLine(r, said, 'eyJ').event, 'command.signIn.failed');
      assert.equal(r.writes().length, 0);
    });
  });
});
