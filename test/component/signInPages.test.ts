// The sign-in fallback pages of the bot (src/auth/signInPages.ts) end to end over HTTP: a
// "browser" follows the start page to an authorize endpoint, back to the end page, which redeems
// the code with msal-node and hands Teams a one-time state; then signin/verifyState's check.
// The authorize and token endpoints here are test/fixtures/fakeCodeAuthority.ts (strict PKCE S256,
// single-use codes, exact redirect URI), kept for what the simulated tenant cannot show: every
// token request as sent, the tokens and codes it issued (to prove none leaks into a page or a log),
// a user of another tenant, and the claims sent again on redemption. The flows a person goes
// through (consent, MFA, the wrong account, declining) run against the simulated tenant's pages
// in signInFlow.test.ts.
// Microsoft docs pinned here:
// - Authorization code flow with PKCE, prompt=consent, claims, login_hint, the token request:
//   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
// - Claims challenges (MFA / Conditional Access) sent back on the authorize request:
//   https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge
// - Teams bot sign-in: start page on a validDomains domain, redirect page, notifySuccess, then
//   signin/verifyState with the value the page handed to Teams:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
// - authentication.notifySuccess / notifyFailure of @microsoft/teams-js ("store the token on your
//   service and then generate a unique code passed via this result parameter"):
//   https://learn.microsoft.com/en-us/javascript/api/@microsoft/teams-js/authentication

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import * as restify from 'restify';
import { MsalCodeRedeemer } from '../../src/auth/codeRedeemer';
import { s256 } from '../../src/auth/pages/pkce';
import { PendingSignInView, SignInPages, mountSignInPages, signInUrl } from '../../src/auth/signInPages';
import { createLogger } from '../../src/log';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { Records } from '../../src/state/port';
import { SignInStates } from '../../src/state/signInStates';
import { SqliteState } from '../../src/state/sqlite';
import { FakeCodeAuthority } from '../fixtures/fakeCodeAuthority';
import { freePort } from '../fixtures/ports';

const TENANT = '6f0d1c2b-7a1e-4c39-9d1e-2b3c4d5e6f70';
const CLIENT_ID = '0b8a7c6d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const SECRET = 'sso-app-secret-value';
const MEGAN = '8f1c2d3e-0000-4000-8000-00000000a001';
const ALEX = '8f1c2d3e-0000-4000-8000-00000000a002';
const SCOPES = [
  'https://graph.microsoft.com/LifecycleWorkflows.ReadWrite.All',
  'https://graph.microsoft.com/RoleManagement.ReadWrite.Directory',
];
const MFA_CLAIMS = '{"access_token":{"capolids":{"essential":true,"values":["00000000-0000-0000-0000-000000000001"]}}}';

interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

function get(url: string, ca?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.get(url, ca ? { ca } : {}, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
  });
}

/** Records that remember what was created, to read the stored PKCE verifier. */
function spied(records: Records, created: { key: string; value: unknown }[]): Records {
  return {
    get: (k) => records.get(k),
    create: async (k, v, o) => {
      created.push({ key: k, value: v });
      return records.create(k, v, o);
    },
    replace: (k, v, ver, o) => records.replace(k, v, ver, o),
    put: (k, v, o) => records.put(k, v, o),
    delete: (k, ver) => records.delete(k, ver),
  };
}

function dataAttr(html: string, name: string): string | null {
  const m = new RegExp(`<body[^>]*\\sdata-${name}="([^"]*)"`).exec(html);
  return m?.[1] ?? null;
}

describe('sign-in fallback pages (start, end, verifyState)', function () {
  let cert: LoopbackCertificate;
  let authority: FakeCodeAuthority;
  let dir: string;
  let clock: number;
  let store: SqliteState;
  let states: SignInStates;
  let created: { key: string; value: unknown }[];
  let server: restify.Server;
  let base: string;
  let pages: SignInPages;
  let pending: Map<string, PendingSignInView>;
  let signedIn: { aadObjectId: string; accessToken: string; expiresOn: number }[];
  let logLines: string[];
  let bodies: string[];

  before(async () => {
    cert = await generateLoopbackCertificate();
  });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-signin-'));
    clock = Date.now();
    store = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
    created = [];
    states = new SignInStates(spied(store.records, created), { now: () => clock });
    pending = new Map();
    signedIn = [];
    logLines = [];
    bodies = [];
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    authority = new FakeCodeAuthority(
      { clientId: CLIENT_ID, clientSecret: SECRET, tenantId: TENANT, redirectUris: [`${base}/auth/end`] },
      cert,
    );
    await authority.start();
    const logger = createLogger({
      destination: new Writable({
        write(chunk: Buffer, _enc, cb) {
          logLines.push(chunk.toString());
          cb();
        },
      }),
    });
    server = restify.createServer({ handleUncaughtExceptions: false });
    pages = mountSignInPages(server, {
      publicBaseUrl: base,
      authorityHost: authority.host,
      sso: { clientId: CLIENT_ID, clientSecret: SECRET, tenantId: TENANT },
      scopes: SCOPES,
      states,
      findPending: async (id) => pending.get(id) ?? null,
      onSignedIn: (aadObjectId, accessToken, expiresOn) => {
        signedIn.push({ aadObjectId, accessToken, expiresOn });
      },
      logger,
      redeemer: new MsalCodeRedeemer({
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        tenantId: TENANT,
        authorityHost: authority.host,
        ca: cert.ca,
      }),
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  });

  afterEach(async () => {
    // No token, code, verifier or ID token in any page body or log line, in any test.
    const secrets = [...authority.issuedSecrets, ...signedIn.map((s) => s.accessToken)];
    for (const c of created) {
      const v = c.value as { codeVerifier?: string };
      if (v.codeVerifier) secrets.push(v.codeVerifier);
    }
    for (const q of authority.tokenRequests) if (q.form.code) secrets.push(q.form.code);
    for (const secret of secrets) {
      for (const b of bodies) assert.ok(!b.includes(secret), 'a page body contains a token, code or verifier');
      for (const l of logLines) assert.ok(!l.includes(secret), 'a log line contains a token, code or verifier');
    }
    server.close();
    await authority.stop();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function page(url: string, ca?: string): Promise<Reply> {
    const reply = await get(url, ca);
    bodies.push(reply.body);
    return reply;
  }

  /** The browser's trip: the button's URL, Entra's authorize page, back to the end page. */
  async function signIn(buttonUrl: string, as: string | null): Promise<{ start: Reply; authorize: Reply; end: Reply }> {
    authority.nextUser = as === null ? null : { id: as, tenantId: TENANT };
    const start = await page(buttonUrl);
    assert.equal(start.status, 302, `start page answered ${start.status}`);
    const authorize = await page(String(start.headers.location), cert.ca);
    assert.equal(authorize.status, 302, `authorize answered ${authorize.status}: ${authorize.body}`);
    const end = await page(String(authorize.headers.location));
    return { start, authorize, end };
  }

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
    assert.equal((await page(signInUrl(base, 'p-mfa-link', 'mfa', 'not json'))).status, 400);
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
    clock += 5 * 60_000 + 1;
    const late = await states.verify(verifyState, MEGAN);
    assert.ok('problem' in late && (late.problem === 'expired' || late.problem === 'unknown'), JSON.stringify(late));

    // The authorize state lives ten minutes: a browser that comes back later is refused.
    authority.nextUser = { id: MEGAN, tenantId: TENANT };
    const start = await page(pages.signInUrl('p-5'));
    const authorize = await page(String(start.headers.location), cert.ca);
    clock += 10 * 60_000 + 1;
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

  it('answers a link to a sign-in that is no longer pending, or a broken link, with a page and no redirect', async () => {
    const gone = await page(pages.signInUrl('p-unknown'));
    assert.equal(gone.status, 404);
    assert.equal(gone.headers.location, undefined);
    assert.equal((await page(`${base}/auth/start`)).status, 400);
    assert.equal((await page(`${base}/auth/end`)).status, 400);
    assert.equal(authority.authorizeRequests.length, 0);
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
