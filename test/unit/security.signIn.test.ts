// Attacks on the sign-in flow's token cache (src/auth/sso.ts): "sign out" promises that the bot
// no longer holds a token for the user (contract §5.4: tokens are kept per user until they expire
// or the user signs out). An on-behalf-of exchange that was already on its way when the user
// signed out must not put a token back, nor run the command the user was asked to sign in for.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignOutMarks } from '../../src/auth/signOuts';
import { SignInFlow } from '../../src/auth/sso';
import { DelegatedToken, OboExchanger, UserTokenCache } from '../../src/auth/tokens';
import { PendingSignIns } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

const TENANT = '11111111-2222-4333-8444-555555555555';
const ALICE = 'aaaaaaaa-1111-4111-8111-111111111111';

function ssoFor(oid: string, tid = TENANT): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ oid, tid, aud: 'api://botid-x' })}.c2ln`;
}

/** An exchange that waits until the test lets it finish; `started` settles when Entra was asked. */
class GatedExchanger implements OboExchanger {
  private release: (() => void) | null = null;
  private onStart: (() => void) | null = null;
  readonly started = new Promise<void>((r) => (this.onStart = r));
  async exchange(): Promise<DelegatedToken> {
    const gate = new Promise<void>((r) => (this.release = r));
    this.onStart?.();
    await gate;
    return { token: 'graph-token-of-alice', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
  finish(): void {
    this.release?.();
  }
}

class CountingExchanger implements OboExchanger {
  async exchange(): Promise<DelegatedToken> {
    return { token: 'graph-token-of-alice', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

describe('security: sign out against sign-ins in flight', () => {
  let dir: string;
  let state: SqliteState;
  const alice = { aadObjectId: ALICE, tenantId: TENANT };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-signout-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const flowWith = (exchanger: OboExchanger, cache: UserTokenCache, silent?: (aad: string) => Promise<string>) =>
    new SignInFlow<string>({
      exchanger,
      cache,
      pending: new PendingSignIns<string>(state.records),
      signOuts: new SignOutMarks(state.records),
      resourceUri: 'api://botid-x',
      passwordResetPage: PASSWORD_RESET_PAGES.global,
      signInUrl: (id) => `https://bot.contoso.test/auth/start?s=${id}`,
      ...(silent ? { silent } : {}),
    });

  it('keeps no token and runs nothing when the user signs out while a token exchange is on its way', async () => {
    const exchanger = new GatedExchanger();
    const cache = new UserTokenCache();
    const flow = flowWith(exchanger, cache);
    const { id } = await flow.begin(ALICE, 'cancel it');
    const exchanged = flow.exchange({ id, token: ssoFor(ALICE) }, alice);
    await exchanger.started;
    await flow.forgetUser(ALICE);
    exchanger.finish();
    const result = await exchanged;
    assert.equal(cache.get(ALICE), null, 'no token is held after sign out');
    assert.notEqual(result.kind, 'signedIn', 'the command that waited is not run');
    assert.equal(result.status, 200, 'Teams is told the exchange was taken, so it shows no sign-in button');
  });

  it('keeps no token when the user signs out while a silent exchange is on its way', async () => {
    const exchanger = new GatedExchanger();
    const cache = new UserTokenCache();
    const flow = flowWith(exchanger, cache, async () => ssoFor(ALICE));
    const resolution = flow.tokenFor(alice);
    await exchanger.started;
    await flow.forgetUser(ALICE);
    exchanger.finish();
    const resolved = await resolution;
    assert.equal(cache.get(ALICE), null, 'no token is held after sign out');
    assert.notEqual(resolved.kind, 'token');
  });

  it('still keeps the token of an exchange that no sign out overtook', async () => {
    const exchanger = new GatedExchanger();
    const cache = new UserTokenCache();
    const flow = flowWith(exchanger, cache);
    const { id } = await flow.begin(ALICE, 'cancel it');
    const exchanged = flow.exchange({ id, token: ssoFor(ALICE) }, alice);
    await exchanger.started;
    exchanger.finish();
    assert.equal((await exchanged).kind, 'signedIn');
    assert.equal(cache.get(ALICE), 'graph-token-of-alice');
  });

  it('signs the user out on every instance: a command that reaches another instance than "sign out" asks to sign in again', async () => {
    // Several instances share the state store, each with its own token cache in memory
    // (architecture: tokens live only in memory). "sign out" answers that the bot no longer holds
    // a token for the user; the instance that exchanged the token must not keep using it.
    const second = new SqliteState(path.join(dir, 'state.db'));
    try {
      const cacheOfFirst = new UserTokenCache();
      const first = flowWith(new CountingExchanger(), cacheOfFirst);
      const other = new SignInFlow<string>({
        exchanger: new CountingExchanger(),
        cache: new UserTokenCache(),
        pending: new PendingSignIns<string>(second.records),
        signOuts: new SignOutMarks(second.records),
        resourceUri: 'api://botid-x',
        passwordResetPage: PASSWORD_RESET_PAGES.global,
        signInUrl: (id) => `https://bot.contoso.test/auth/start?s=${id}`,
      });
      const { id } = await first.begin(ALICE, 'cancel it');
      assert.equal((await first.exchange({ id, token: ssoFor(ALICE) }, alice)).kind, 'signedIn');
      await other.forgetUser(ALICE);
      assert.equal((await first.tokenFor(alice)).kind, 'needed', 'the instance that held the token asks again');
    } finally {
      await second.close();
    }
  });
});
