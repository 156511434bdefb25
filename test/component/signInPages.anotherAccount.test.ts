// The wrong account on Entra's page (someone else's session in the browser, or the wrong account
// picked): the end page must not end the Teams window with a failure whose only remedy is "select
// Sign in again", which signs the same session in again without asking (Entra's single sign-on;
// the start page's login_hint, if any, names the right account but does not stop it). It keeps the window open and offers to sign in with another
// account, which asks Entra for its account picker; with the right account the sign-in completes
// in the same window.
// Microsoft docs pinned here:
// - Authorization code flow, `prompt`: "prompt=select_account interrupts single sign-on providing
//   account selection experience listing all the accounts either in session or any remembered
//   account or an option to choose to use a different account altogether":
//   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code
// - Teams sign-in window: the page ends it with notifySuccess or notifyFailure; until then the
//   person stays in the window:
//   https://learn.microsoft.com/en-us/javascript/api/@microsoft/teams-js/authentication

import { strict as assert } from 'node:assert';
import * as vm from 'node:vm';
import { END_PAGE_SCRIPT } from '../../src/auth/pages/script';
import { ALEX, MEGAN, TENANT, dataAttr, signInPagesSession } from '../fixtures/signInPagesSession';

describe('sign-in end page: the wrong account, then another account', function () {
  const session = signInPagesSession();
  const { page } = session;

  it('keeps the window open with a link that asks Entra for the account picker; the right account then signs in', async () => {
    session.pending.set('p-acct', { aadObjectId: MEGAN, tenantId: TENANT });
    const { start, end } = await session.signIn(session.pages.signInUrl('p-acct'), ALEX);
    assert.equal(
      new URL(String(start.headers.location)).searchParams.get('prompt'),
      null,
      'the first try has no prompt',
    );
    assert.equal(end.status, 403);
    assert.equal(dataAttr(end.body, 'reason'), 'wrong_user');
    assert.equal(dataAttr(end.body, 'state'), null, 'no verify state for Teams');
    assert.equal(dataAttr(end.body, 'stay'), 'true', 'the page script does not end the window');
    const href = /<a href="([^"]+)">Sign in with another account<\/a>/.exec(end.body)?.[1]?.replace(/&#38;/g, '&');
    assert.ok(href, 'the page offers another account');
    assert.doesNotMatch(end.body, /select Sign in again/);

    session.authority.nextUser = { id: MEGAN, tenantId: TENANT };
    const again = await page(new URL(href, session.base).toString());
    assert.equal(again.status, 302);
    const authorize = new URL(String(again.headers.location));
    assert.equal(authorize.searchParams.get('prompt'), 'select_account');
    const back = await page(authorize.toString(), session.cert.ca);
    const done = await page(String(back.headers.location));
    assert.equal(dataAttr(done.body, 'outcome'), 'success');
    assert.equal(session.signedIn.length, 1);
    assert.equal(session.signedIn[0]?.aadObjectId, MEGAN);
  });

  it('the page script leaves a page that says to stay open to the person, and ends every other one', async () => {
    const run = async (attrs: Record<string, string>) => {
      const calls: string[] = [];
      const teams = {
        app: { initialize: () => Promise.resolve() },
        authentication: {
          notifySuccess: (r: string) => calls.push(`success:${r}`),
          notifyFailure: (r: string) => calls.push(`failure:${r}`),
        },
      };
      const body = { getAttribute: (n: string) => attrs[n] ?? null };
      vm.runInNewContext(END_PAGE_SCRIPT, { window: { microsoftTeams: teams }, document: { body } });
      await new Promise((r) => setImmediate(r));
      return calls;
    };
    assert.deepEqual(await run({ 'data-outcome': 'failure', 'data-reason': 'wrong_user', 'data-stay': 'true' }), []);
    assert.deepEqual(await run({ 'data-outcome': 'failure', 'data-reason': 'expired' }), ['failure:expired']);
    assert.deepEqual(await run({ 'data-outcome': 'success', 'data-state': 'abc' }), ['success:abc']);
  });

  it('expired grant: the other account keeps prompt=login, which asks for credentials anyway', async () => {
    session.pending.set('p-exp', { aadObjectId: MEGAN, tenantId: TENANT, reason: 'expired' });
    const again = await page(`${session.base}/auth/start?s=p-exp&a=select`);
    assert.equal(new URL(String(again.headers.location)).searchParams.get('prompt'), 'login');
  });
});
