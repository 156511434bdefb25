// The bot's sign-in end page (src/auth/signInPages.ts) and what follows it: the code redeemed on the
// server with msal-node, the token handed to the bot for the pending user only, a one-time state
// handed to Teams and checked by signin/verifyState for its owner alone, replayed and expired states
// refused, the same user id from another tenant refused, and pages that load only same-origin
// scripts under a strict CSP. Each test runs on signInPagesSession(), which also checks after it
// that no token, code or verifier reached a page or a log line. The flows a person goes through
// (consent, MFA, the wrong account, declining) run against the simulated tenant's pages in
// signInFlow.test.ts.
// Microsoft docs pinned here:
// - Authorization code flow, the token request:
//   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
// - Teams bot sign-in: redirect page, notifySuccess, then signin/verifyState with the value the
//   page handed to Teams:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
// - authentication.notifySuccess / notifyFailure of @microsoft/teams-js ("store the token on your
//   service and then generate a unique code passed via this result parameter"):
//   https://learn.microsoft.com/en-us/javascript/api/@microsoft/teams-js/authentication

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { PendingSignInView, SignInPages } from '../../src/auth/signInPages';
import { LoopbackCertificate } from '../../src/sandbox/certs';
import { SignInStates } from '../../src/state/signInStates';
import { FakeCodeAuthority } from '../fixtures/fakeCodeAuthority';
import { ALEX, MEGAN, TENANT, dataAttr, signInPagesSession } from '../fixtures/signInPagesSession';

describe('sign-in fallback pages (start, end, verifyState)', function () {
  const session = signInPagesSession();
  const { page, signIn } = session;
  let cert: LoopbackCertificate;
  let authority: FakeCodeAuthority;
  let states: SignInStates;
  let base: string;
  let pages: SignInPages;
  let pending: Map<string, PendingSignInView>;
  let signedIn: { aadObjectId: string; accessToken: string; expiresOn: number }[];
  let logLines: string[];
  // The session's hooks, registered first, have started this test's pages by now.
  beforeEach(() => {
    ({ cert, authority, states, base, pages, pending, signedIn, logLines } = session);
  });

  it('redeems the code on the server and hands the token of the pending user to the bot, then Teams a one-time state', async () => {
    pending.set('p-2', { aadObjectId: MEGAN, tenantId: TENANT });
    const before = Date.now();
    const { end } = await signIn(pages.signInUrl('p-2'), MEGAN);
    assert.equal(end.status, 200);
    assert.equal(signedIn.length, 1);
    assert.equal(signedIn[0]?.aadObjectId, MEGAN);
    assert.equal(signedIn[0]?.accessToken, authority.issuedSecrets[0]);
    assert.ok((signedIn[0]?.expiresOn ?? 0) > before, 'expiresOn is the token lifetime, in epoch ms');
    const form = authority.tokenRequests[0]?.form ?? {};
    assert.equal(form.grant_type, 'authorization_code');
    assert.equal(form.redirect_uri, `${base}/auth/end`);
    assert.ok(form.code_verifier, 'the verifier goes to the token endpoint');
    // Only the token endpoint was called: no metadata or instance discovery for a private authority.
    assert.deepEqual(
      authority.requests.filter((r) => r.startsWith('POST')),
      [`POST /${TENANT}/oauth2/v2.0/token`],
    );
    assert.equal(dataAttr(end.body, 'outcome'), 'success');
    const verifyState = dataAttr(end.body, 'state') ?? '';
    assert.match(verifyState, /^[A-Za-z0-9_-]{43,}$/);
    // signin/verifyState from Megan with that state completes her pending sign-in, once.
    assert.deepEqual(await states.verify(verifyState, MEGAN), { pendingId: 'p-2' });
    assert.deepEqual(await states.verify(verifyState, MEGAN), { problem: 'unknown' });
  });

  it('refuses a replayed authorize state (the end page, a second time)', async () => {
    pending.set('p-3', { aadObjectId: MEGAN });
    const { authorize, end } = await signIn(pages.signInUrl('p-3'), MEGAN);
    assert.equal(end.status, 200);
    const replay = await page(String(authorize.headers.location));
    assert.equal(replay.status, 400);
    assert.equal(dataAttr(replay.body, 'outcome'), 'failure');
    assert.equal(dataAttr(replay.body, 'reason'), 'expired');
    assert.equal(dataAttr(replay.body, 'state'), null);
    assert.equal(signedIn.length, 1, 'the replay signed no one in');
    assert.equal(authority.tokenRequests.length, 1, 'the replay never reached the token endpoint');
  });

  it('refuses a verify state presented by another user, and leaves it to its owner', async () => {
    pending.set('p-4', { aadObjectId: MEGAN });
    const { end } = await signIn(pages.signInUrl('p-4'), MEGAN);
    const verifyState = dataAttr(end.body, 'state') ?? '';
    assert.deepEqual(await states.verify(verifyState, ALEX), { problem: 'otherUser' });
    assert.deepEqual(await states.verify(verifyState, undefined), { problem: 'otherUser' });
    assert.deepEqual(await states.verify(verifyState, MEGAN), { pendingId: 'p-4' });
  });

  it('refuses an expired verify state and an expired authorize state (injected clock)', async () => {
    pending.set('p-5', { aadObjectId: MEGAN });
    const { end } = await signIn(pages.signInUrl('p-5'), MEGAN);
    const verifyState = dataAttr(end.body, 'state') ?? '';
    session.clock += 5 * 60_000 + 1;
    const late = await states.verify(verifyState, MEGAN);
    assert.ok('problem' in late && (late.problem === 'expired' || late.problem === 'unknown'), JSON.stringify(late));

    // The authorize state lives ten minutes: a browser that comes back later is refused.
    authority.nextUser = { id: MEGAN, tenantId: TENANT };
    const start = await page(pages.signInUrl('p-5'));
    const authorize = await page(String(start.headers.location), cert.ca);
    session.clock += 10 * 60_000 + 1;
    const tooLate = await page(String(authorize.headers.location));
    assert.equal(dataAttr(tooLate.body, 'reason'), 'expired');
    assert.equal(signedIn.length, 1);
    assert.equal(authority.tokenRequests.length, 1, 'the late code was never redeemed');
  });

  it('refuses the token of the same user id from another tenant (another person)', async () => {
    pending.set('p-6b', { aadObjectId: MEGAN, tenantId: TENANT });
    authority.nextUser = { id: MEGAN, tenantId: '11111111-2222-4333-8444-555555555555' };
    const start = await page(pages.signInUrl('p-6b'));
    const authorize = await page(String(start.headers.location), cert.ca);
    const foreign = await page(String(authorize.headers.location));
    assert.equal(authority.tokenRequests[0]?.outcome, 'ok', 'the code itself was valid');
    assert.equal(foreign.status, 403);
    assert.equal(dataAttr(foreign.body, 'reason'), 'wrong_user');
    assert.equal(dataAttr(foreign.body, 'state'), null, 'no verify state for Teams');
    assert.deepEqual(signedIn, [], 'the token was discarded');
    assert.ok(logLines.some((l) => l.includes('signin.end.wrongUser')));
  });

  it('serves pages that load only same-origin scripts, none inline, under a strict CSP', async () => {
    pending.set('p-8', { aadObjectId: MEGAN });
    const { end } = await signIn(pages.signInUrl('p-8'), MEGAN);
    const failure = await page(`${base}/auth/end?state=unknown&code=x`);
    for (const reply of [end, failure]) {
      const csp = String(reply.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
      assert.equal(reply.headers['cache-control'], 'no-store');
      assert.equal(reply.headers['referrer-policy'], 'no-referrer');
      const scripts = [...reply.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      assert.deepEqual(
        scripts.map((s) => /\ssrc="([^"]+)"/.exec(s[1] ?? '')?.[1]),
        ['/auth/teams-js.js', '/auth/end.js'],
      );
      for (const s of scripts) assert.equal(s[2]?.trim(), '', 'no inline script');
      assert.doesNotMatch(reply.body, /\son[a-z]+=|javascript:|<style|style=/i, 'no inline handlers or styles');
    }
    const teamsJs = await page(`${base}/auth/teams-js.js`);
    assert.equal(teamsJs.status, 200);
    assert.match(String(teamsJs.headers['content-type']), /javascript/);
    const installed = fs.readFileSync(require.resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js'), 'utf8');
    assert.equal(teamsJs.body, installed, "the bot's own copy of @microsoft/teams-js");
    const script = await page(`${base}/auth/end.js`);
    assert.match(script.body, /app\.initialize\(\)/);
    assert.match(script.body, /authentication\.notifySuccess\(/);
    assert.match(script.body, /authentication\.notifyFailure\(/);
    assert.match(script.body, /data-state/);
  });
});
