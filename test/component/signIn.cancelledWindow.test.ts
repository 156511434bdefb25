// A sign-in window the user closed is not a sign out. Teams reports it as signin/verifyState with
// the state `CancelledByUser` ("If the user closes the pop-up window, Teams sends ... CancelledByUser",
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot),
// and signin/failure when its single sign-on failed on its side
// (https://learn.microsoft.com/en-us/microsoftteams/platform/teams-sdk/teams/user-authentication/troubleshooting-sso).
// Contract §3 gives forgetting the user's tokens to `sign out` alone; the README has a closed
// window forget "every command of the user that waited" and nothing more. So a user who already
// holds a token and closes the window of a stale card keeps it, here and on every instance (no
// shared sign-out mark is written: signOuts.ts), and their next command runs without a sign-in.

import { strict as assert } from 'node:assert';
import { SignOutMarks } from '../../src/auth/signOuts';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';
import { auditLinesOf, exchangeIdIn } from './waitingCommand';

describe('a closed sign-in window forgets the waiting commands, not the token', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig), {});

  /** Megan with a token (signed in through her first card) and a second command still waiting. */
  async function signedInWithOneWaiting() {
    const megan = r.user(0);
    const first = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    await r.message(megan, `cancel group-request ${r.seed.examples.groupRequestId}`);
    await r.invoke(megan, 'signin/tokenExchange', {
      id: exchangeIdIn(first.sent),
      connectionName: '',
      token: r.sso(megan),
    });
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'the first command ran');
    const subject = { aadObjectId: megan.aadObjectId, tenantId: r.seed.tenantId };
    assert.equal((await r.signInFlow.tokenFor(subject)).kind, 'token', 'signed in');
    return { megan, subject };
  }

  it('CancelledByUser: the waiting command ends; the token stays, no sign-out mark, the next command runs', async () => {
    const { megan, subject } = await signedInWithOneWaiting();
    const cancelled = await r.invoke(megan, 'signin/verifyState', { state: 'CancelledByUser' });
    assert.equal(cancelled.invoke?.status, 200);
    assert.deepEqual(
      auditLinesOf(r).map((l) => [l.operation, l.outcome, l.abandoned ?? null]),
      [
        ['cancelRoleRequest', 'succeeded', null],
        ['cancelGroupRequest', 'failed', 'cancelled'],
      ],
      'the waiting command ended as cancelled',
    );
    assert.equal(await new SignOutMarks(r.state.records).current(megan.aadObjectId), null, 'no sign-out mark');
    assert.equal((await r.signInFlow.tokenFor(subject)).kind, 'token', 'still signed in: she never typed sign out');
    const again = await r.message(megan, `cancel group-request ${r.seed.examples.groupRequestId}`);
    await r.bot.idle();
    assert.equal(r.writes().length, 2, 'ran with the token she holds');
    assert.ok(
      !JSON.stringify(again.sent).includes('application/vnd.microsoft.card.oauth'),
      'no Sign in card: ' + JSON.stringify(again.sent).slice(0, 300),
    );
  });

  it('signin/failure: the token stays and no sign-out mark is written', async () => {
    const { megan, subject } = await signedInWithOneWaiting();
    const failed = await r.invoke(megan, 'signin/failure', { code: 'resourcematchfailed', message: 'x' });
    assert.equal(failed.invoke?.status, 200);
    assert.equal(await new SignOutMarks(r.state.records).current(megan.aadObjectId), null, 'no sign-out mark');
    assert.equal((await r.signInFlow.tokenFor(subject)).kind, 'token', 'still signed in');
  });

  it('a sign out still forgets the token and marks it for every instance', async () => {
    const { megan, subject } = await signedInWithOneWaiting();
    await r.message(megan, 'sign out');
    assert.notEqual(await new SignOutMarks(r.state.records).current(megan.aadObjectId), null, 'marked');
    assert.equal((await r.signInFlow.tokenFor(subject)).kind, 'needed');
  });
});
