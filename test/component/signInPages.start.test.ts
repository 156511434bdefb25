// Where the bot's sign-in start page (src/auth/signInPages.ts) sends the browser: the authorize
// endpoint of the SSO app with the authorization code flow, PKCE S256 and a one-time state bound to
// the pending sign-in, prompt=consent when consent was the problem, the claims challenge when MFA
// was (and again on redemption), a page and no redirect for a link no longer pending or broken, and
// the validDomains entry and redirect URI the pages need. Each test runs on signInPagesSession(),
// which also checks after it that no token, code or verifier reached a page or a log line.
// Microsoft docs pinned here:
// - Authorization code flow with PKCE, prompt=consent, claims, login_hint, the token request:
//   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
// - Claims challenges (MFA / Conditional Access) sent back on the authorize request:
//   https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge
// - Teams bot sign-in: start page on a validDomains domain, redirect page:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot

import { strict as assert } from 'node:assert';
import { s256 } from '../../src/auth/pages/pkce';
import { PendingSignInView, SignInPages, signInUrl } from '../../src/auth/signInPages';
import { FakeCodeAuthority } from '../fixtures/fakeCodeAuthority';
import {
  ALEX,
  CLIENT_ID,
  MEGAN,
  MFA_CLAIMS,
  SCOPES,
  TENANT,
  dataAttr,
  signInPagesSession,
} from '../fixtures/signInPagesSession';

describe('sign-in fallback pages (start, end, verifyState)', function () {
  const session = signInPagesSession();
  const { page, signIn } = session;
  let authority: FakeCodeAuthority;
  let base: string;
  let pages: SignInPages;
  let pending: Map<string, PendingSignInView>;
  let created: { key: string; value: unknown }[];
  // The session's beforeEach, registered first, has started this test's pages by now.
  beforeEach(() => {
    ({ authority, base, pages, pending, created } = session);
  });

  it('sends the user to the authorize endpoint of the SSO app with code + PKCE S256 and a one-time state', async () => {
    pending.set('p-1', { aadObjectId: MEGAN, loginHint: 'megan@contoso.example' });
    const start = await page(pages.signInUrl('p-1'));
    assert.equal(start.status, 302);
    const location = new URL(String(start.headers.location));
    assert.equal(`${location.origin}${location.pathname}`, `${authority.host}/${TENANT}/oauth2/v2.0/authorize`);
    const q = location.searchParams;
    assert.equal(q.get('client_id'), CLIENT_ID);
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('redirect_uri'), `${base}/auth/end`);
    assert.deepEqual(q.get('scope')?.split(' '), [...SCOPES, 'openid', 'profile']);
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.equal(q.get('login_hint'), 'megan@contoso.example');
    assert.equal(q.get('prompt'), null, 'no prompt when nothing asked for one');
    assert.equal(q.get('claims'), null);
    const state = q.get('state') ?? '';
    assert.match(state, /^[A-Za-z0-9_-]{43,}$/, 'state is 256 random bits');
    // The challenge is S256 of the verifier bound to this state on the server.
    const stored = created.map((c) => c.value as { codeVerifier?: string; pendingId?: string; aadObjectId?: string });
    const binding = stored.find((v) => v.codeVerifier !== undefined);
    assert.ok(binding?.codeVerifier, 'the verifier is stored');
    assert.equal(q.get('code_challenge'), s256(binding.codeVerifier));
    assert.equal(binding.pendingId, 'p-1');
    assert.equal(binding.aadObjectId, MEGAN);
    assert.ok(!start.headers.location?.includes(binding.codeVerifier), 'the verifier never leaves the server');
    // A second start for the same pending sign-in gets another state and verifier.
    const again = new URL(String((await page(pages.signInUrl('p-1'))).headers.location)).searchParams;
    assert.notEqual(again.get('state'), state);
    assert.notEqual(again.get('code_challenge'), q.get('code_challenge'));
  });

  it('asks for consent again (prompt=consent) when consent was the problem', async () => {
    pending.set('p-consent', { aadObjectId: ALEX });
    const fromLink = new URL(String((await page(pages.signInUrl('p-consent', 'consent'))).headers.location));
    assert.equal(fromLink.searchParams.get('prompt'), 'consent');
    pending.set('p-recorded', { aadObjectId: ALEX, reason: 'consent' });
    const fromRecord = new URL(String((await page(pages.signInUrl('p-recorded'))).headers.location));
    assert.equal(fromRecord.searchParams.get('prompt'), 'consent', 'the pending sign-in record says consent');
    assert.equal(fromRecord.searchParams.get('claims'), null);
  });

  it('asks for fresh credentials (prompt=login) when the grant had expired or was revoked', async () => {
    // AADSTS50173 / 700082 / 500133: "a fresh auth token is needed" (reference-error-codes); "prompt=login
    // forces the user to enter their credentials on that request" (v2-oauth2-auth-code-flow).
    pending.set('p-expired', { aadObjectId: MEGAN });
    const fromLink = new URL(String((await page(pages.signInUrl('p-expired', 'expired'))).headers.location));
    assert.equal(fromLink.searchParams.get('prompt'), 'login');
    pending.set('p-expired-recorded', { aadObjectId: MEGAN, reason: 'expired' });
    const fromRecord = new URL(String((await page(pages.signInUrl('p-expired-recorded'))).headers.location));
    assert.equal(fromRecord.searchParams.get('prompt'), 'login', 'the pending sign-in record says expired');
    // AADSTS70043 (sign-in frequency) may come with a claims challenge: it goes to the authorize
    // request as any claims challenge does (claims-challenge), from the record or from the link.
    pending.set('p-expired-claims', { aadObjectId: MEGAN, reason: 'expired', claims: MFA_CLAIMS });
    const claimed = new URL(String((await page(pages.signInUrl('p-expired-claims'))).headers.location));
    assert.equal(claimed.searchParams.get('prompt'), 'login');
    assert.equal(claimed.searchParams.get('claims'), MFA_CLAIMS);
    pending.set('p-expired-link', { aadObjectId: MEGAN });
    const linked = new URL(
      String((await page(pages.signInUrl('p-expired-link', 'expired', MFA_CLAIMS))).headers.location),
    );
    assert.equal(linked.searchParams.get('claims'), MFA_CLAIMS);
  });

  it('sends the claims challenge when MFA was the problem, and again when the code is redeemed', async () => {
    pending.set('p-mfa', { aadObjectId: MEGAN, reason: 'mfa', claims: MFA_CLAIMS });
    const { start, end } = await signIn(pages.signInUrl('p-mfa'), MEGAN);
    const q = new URL(String(start.headers.location)).searchParams;
    assert.equal(q.get('claims'), MFA_CLAIMS);
    assert.equal(q.get('prompt'), null);
    assert.equal(end.status, 200);
    const redeemed = authority.tokenRequests.find((r) => r.outcome === 'ok');
    assert.ok(redeemed?.form.claims, 'the token request carries claims');
    // MSAL adds its own id_token claims requests next to the challenge.
    const sent = JSON.parse(redeemed.form.claims) as { access_token?: unknown };
    assert.deepEqual(sent.access_token, (JSON.parse(MFA_CLAIMS) as { access_token: unknown }).access_token);
    // From the link too, when the pending sign-in did not record it; a malformed challenge is refused.
    pending.set('p-mfa-link', { aadObjectId: MEGAN });
    const link = new URL(String((await page(pages.signInUrl('p-mfa-link', 'mfa', MFA_CLAIMS))).headers.location));
    assert.equal(link.searchParams.get('claims'), MFA_CLAIMS);
    // (signInUrl itself leaves such a challenge out of its links: signIn.linkClaims.test.ts.)
    const malformed = new URL(signInUrl(base, 'p-mfa-link', 'mfa'));
    malformed.searchParams.set('c', 'not json');
    assert.equal((await page(malformed.toString())).status, 400);
  });

  it('answers a link to a sign-in that is no longer pending, or a broken link, with a page and no redirect', async () => {
    const gone = await page(pages.signInUrl('p-unknown'));
    assert.equal(gone.status, 404);
    assert.equal(gone.headers.location, undefined);
    assert.equal((await page(`${base}/auth/start`)).status, 400);
    assert.equal((await page(`${base}/auth/end`)).status, 400);
    assert.equal(authority.authorizeRequests.length, 0);
  });

  it('answers a flood of starts of one sign-in link with a page saying what to do, and the person’s own start still signs in', async () => {
    // In a group chat every member sees the Sign in card, so anyone there holds its link.
    pending.set('p-flood', { aadObjectId: MEGAN });
    const own = await page(pages.signInUrl('p-flood'));
    assert.equal(own.status, 302);
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push((await page(pages.signInUrl('p-flood'))).status);
    assert.equal(statuses.filter((s) => s === 302).length, 9, 'ten starts in all');
    assert.equal(statuses.filter((s) => s === 429).length, 91);
    assert.ok(created.length <= 11, `${created.length} records created`);
    const refused = await page(pages.signInUrl('p-flood'));
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.location, undefined);
    assert.match(refused.body, /send your command again/);
    // The person's own start, made before the flood, completes.
    authority.nextUser = { id: MEGAN, tenantId: TENANT };
    const authorize = await page(String(own.headers.location), session.cert.ca);
    const end = await page(String(authorize.headers.location));
    assert.equal(end.status, 200);
    assert.equal(dataAttr(end.body, 'outcome'), 'success');
  });

  it('lists the bot domain as the validDomains entry and the end page as the redirect URI', () => {
    assert.deepEqual(pages.validDomains, [new URL(base).host]);
    assert.equal(pages.redirectUri, `${base}/auth/end`);
    assert.equal(
      signInUrl('https://bot.contoso.com', 'p 1', 'mfa', MFA_CLAIMS),
      `https://bot.contoso.com/auth/start?s=p+1&r=mfa&c=${encodeURIComponent(MFA_CLAIMS).replace(/%20/g, '+')}`,
    );
    assert.throws(() => signInUrl('http://bot.contoso.com', 'p'), /https/);
  });
});
