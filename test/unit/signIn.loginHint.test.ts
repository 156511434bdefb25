// A failed token exchange keeps the user name of the user's own Teams SSO token for the sign-in
// page's `login_hint`, so that a person with several accounts in the browser is offered theirs:
// `preferred_username` of a v2.0 token, `upn` of a v1.0 one, and only when it looks like a user
// name; a token that is not the user's is never read for it. The sign-in link never carries it.
// Microsoft docs pinned here:
// - Authorization code flow, `login_hint`: "Can be used to prefill the username/email address field
//   of the sign-in page for the user... Often, apps use this parameter during reauthentication,
//   after already extracting the login_hint optional claim from an earlier sign-in":
//   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code
// - Access token claims: `preferred_username` (v2.0) and `upn` (v1.0) name the user:
//   https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignInRequiredError } from '../../src/domain/errors';
import { loginHintOf } from '../../src/auth/loginHint';
import { SignInFlow } from '../../src/auth/sso';
import { DelegatedToken, OboExchanger, UserTokenCache } from '../../src/auth/tokens';
import { PendingSignIns } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

const ALICE = 'alice';
const TENANT = 'tenant';

/** An SSO token as Teams sends it (read unsigned: the subject check and the hint only read it). */
function ssoToken(claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid: ALICE, tid: TENANT, ...claims })}.sig`;
}

/** Entra wants consent on every exchange (AADSTS65001). */
const consentMissing: OboExchanger = {
  exchange: (): Promise<DelegatedToken> => Promise.reject(new SignInRequiredError('consent', 'consent')),
};

describe('the login_hint of a failed token exchange', () => {
  let dir: string;
  let state: SqliteState;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-hint-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function rig() {
    const pending = new PendingSignIns<string>(state.records);
    const flow = new SignInFlow<string>({
      exchanger: consentMissing,
      cache: new UserTokenCache(),
      pending,
      resourceUri: null,
      passwordResetPage: PASSWORD_RESET_PAGES.global,
      signInUrl: (id, reason) => `https://bot.contoso.test/auth/start?s=${id}${reason ? `&r=${reason}` : ''}`,
      // A personal chat: only Alice sees the card (signInFlow.loginHint covers the shared ones).
      seenByTheUserOnly: () => true,
    });
    return { pending, flow };
  }

  async function hintAfter(token: string): Promise<string | undefined> {
    const { flow } = rig();
    const { id } = await flow.begin(ALICE, 'cancel it');
    const result = await flow.exchange({ id, token }, { aadObjectId: ALICE, tenantId: TENANT });
    assert.equal(result.status, 412);
    return (await flow.pendingView(id))?.loginHint;
  }

  it('a v2.0 token: its preferred_username is the sign-in page’s hint, kept while the sign-in waits', async () => {
    const { flow, pending } = rig();
    const { id, card } = await flow.begin(ALICE, 'cancel it');
    const token = ssoToken({ preferred_username: 'alice@contoso.com', upn: 'other@contoso.com', ver: '2.0' });
    await flow.exchange({ id, token }, { aadObjectId: ALICE, tenantId: TENANT });
    assert.equal((await flow.pendingView(id))?.loginHint, 'alice@contoso.com');
    // Kept through a later note of why a sign-in failed, and a card sent again (moveTo).
    await flow.noteFailure(id, ALICE, new SignInRequiredError('mfa', 'mfa'));
    assert.equal((await flow.pendingView(id))?.loginHint, 'alice@contoso.com');
    assert.ok(await pending.moveTo(id, 'moved', ALICE));
    assert.equal((await flow.pendingView('moved'))?.loginHint, 'alice@contoso.com');
    const links = JSON.stringify([card, flow.oauthCard(id, 'consent')]);
    assert.doesNotMatch(links, /alice@|login_hint/, 'no user name in the bot’s link');
  });

  it('a v1.0 token: its upn', async () => {
    assert.equal(await hintAfter(ssoToken({ upn: 'alice@contoso.com', ver: '1.0' })), 'alice@contoso.com');
  });

  it('a token without a usable user name gives no hint', async () => {
    assert.equal(await hintAfter(ssoToken({})), undefined);
    assert.equal(await hintAfter(ssoToken({ preferred_username: 'Alice Wilber' })), undefined);
    assert.equal(await hintAfter(ssoToken({ preferred_username: 'alice@contoso.com extra' })), undefined);
    assert.equal(await hintAfter(ssoToken({ preferred_username: 'a@b@c' })), undefined);
    assert.equal(await hintAfter(ssoToken({ preferred_username: 42 })), undefined);
    assert.equal(await hintAfter(ssoToken({ preferred_username: `${'a'.repeat(65)}@contoso.com` })), undefined);
  });

  it('a token that is not the user’s is never read for a hint', async () => {
    const { flow } = rig();
    const { id } = await flow.begin(ALICE, 'cancel it');
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const bobs = `${part({ alg: 'none' })}.${part({ oid: 'bob', tid: TENANT, preferred_username: 'bob@contoso.com' })}.x`;
    const result = await flow.exchange({ id, token: bobs }, { aadObjectId: ALICE, tenantId: TENANT });
    assert.equal(result.status, 412);
    assert.equal((await flow.pendingView(id))?.loginHint, undefined);
  });

  it('loginHintOf: a token that is not a JWT gives none', () => {
    assert.equal(loginHintOf('not a token'), undefined);
    assert.equal(loginHintOf(ssoToken({ upn: 'alice@contoso.com' })), 'alice@contoso.com');
  });
});
