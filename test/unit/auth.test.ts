import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignInFlow } from '../../src/auth/sso';
import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { oboFailure } from '../../src/auth/oboExchanger';
import { DelegatedToken, OboExchanger, UserTokenCache } from '../../src/auth/tokens';
import { subjectProblem } from '../../src/auth/tokenSubject';
import { SignInRequiredError } from '../../src/domain/errors';
import { PendingSignIns } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

const TENANT = '11111111-2222-4333-8444-555555555555';

/** An SSO token shape (claims only; the signature is Entra's business during the exchange). */
function ssoFor(oid: string, tid = TENANT): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ oid, tid, aud: 'api://botid-x' })}.c2ln`;
}

class CountingExchanger implements OboExchanger {
  calls = 0;
  constructor(private readonly fail: SignInRequiredError | null = null) {}
  async exchange(sso: string): Promise<DelegatedToken> {
    this.calls++;
    await new Promise((r) => setImmediate(r));
    if (this.fail) throw this.fail;
    return { token: `graph-token-for-${sso.length}`, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

describe('sign-in', () => {
  let dir: string;
  let states: SqliteState[];
  const state = (now?: () => number) => {
    const s = new SqliteState(path.join(dir, 'state.db'), now ? { now } : {});
    states.push(s);
    return s;
  };
  const alice = { aadObjectId: 'alice', tenantId: TENANT };
  const mallory = { aadObjectId: 'mallory', tenantId: TENANT };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-signin-'));
    states = [];
  });
  afterEach(async () => {
    for (const s of states) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function flowOn(
    s: SqliteState,
    exchanger: OboExchanger = new CountingExchanger(),
    cache = new UserTokenCache(),
    opts: { now?: () => number; maxPerUser?: number; ttlMs?: number } = {},
  ) {
    return new SignInFlow<string>({
      exchanger,
      cache,
      pending: new PendingSignIns<string>(s.records, opts),
      resourceUri: 'api://botid-x',
      passwordResetPage: PASSWORD_RESET_PAGES.global,
      signInUrl: (id, reason) => `https://bot.contoso.test/auth/start?s=${id}${reason ? `&r=${reason}` : ''}`,
    });
  }

  it('classifies Entra failures by their AADSTS numbers, as MSAL keeps them (errorNo)', () => {
    // MSAL's errors as it builds them from Entra's answer: errorNo is the first of `error_codes`.
    const reasonOf = (e: Error) => (oboFailure(e) as SignInRequiredError).reason;
    assert.equal(
      reasonOf(
        new ServerError('invalid_grant', '', 'AADSTS65001: The user or administrator has not consented', '', '65001'),
      ),
      'consent',
    );
    assert.equal(
      reasonOf(
        new InteractionRequiredAuthError(
          'interaction_required',
          '',
          'AADSTS50076: Due to a configuration change',
          '',
          '',
          '',
          '',
          '50076',
        ),
      ),
      'mfa',
    );
    assert.equal(
      reasonOf(
        new ServerError(
          'invalid_grant',
          '',
          'AADSTS500133: Assertion is not within its valid time range.',
          '',
          '500133',
        ),
      ),
      'expired',
    );
    assert.equal(reasonOf(new ServerError('invalid_grant', '', 'something else')), 'unknown');
  });

  it('keeps tokens per user until shortly before they expire', () => {
    let now = 1_000_000;
    const cache = new UserTokenCache(() => now, 60_000);
    cache.set('u1', { token: 't1', expiresOnTimestamp: now + 120_000 });
    assert.equal(cache.get('u1'), 't1');
    assert.equal(cache.get('u2'), null);
    now += 61_000;
    assert.equal(cache.get('u1'), null, 'a token about to expire is not handed out');
    cache.set('u1', { token: 't2', expiresOnTimestamp: now + 3_600_000 });
    assert.ok(cache.forget('u1'));
    assert.equal(cache.get('u1'), null);
  });

  it('bounds the token cache: beyond its size the least recently used token goes, expired ones first', () => {
    let now = 0;
    const cache = new UserTokenCache(() => now, 0, 100);
    for (let i = 0; i < 5000; i++) {
      cache.set(`user-${i}`, { token: `t${i}`, expiresOnTimestamp: now + 3_600_000 });
      if (i === 10) assert.equal(cache.get('user-0'), 't0', 'user-0 is used again, so it stays');
    }
    assert.equal(cache.size, 100);
    assert.equal(cache.get('user-4999'), 't4999');
    assert.equal(cache.get('user-1'), null, 'the least recently used went first');
    now += 3_600_001;
    cache.set('fresh', { token: 'f', expiresOnTimestamp: now + 1000 });
    assert.equal(cache.size, 1, 'expired tokens are dropped as new ones arrive');
  });

  it('runs a remembered command once, only for the user who asked, even for concurrent duplicates', async () => {
    const exchanger = new CountingExchanger();
    const cache = new UserTokenCache();
    const flow = flowOn(state(), exchanger, cache);
    const { id, card } = await flow.begin('alice', 'cancel it');
    assert.equal(
      (card.content as { tokenExchangeResource: { id: string; uri: string } }).tokenExchangeResource.uri,
      'api://botid-x',
    );
    const other = await flow.exchange({ id, token: ssoFor('mallory') }, mallory);
    assert.deepEqual(other, { status: 200, kind: 'ignored', why: 'otherUser' });
    const [a, b] = await Promise.all([
      flow.exchange({ id, token: ssoFor('alice') }, alice),
      flow.exchange({ id, token: ssoFor('alice') }, alice),
    ]);
    // The duplicate on its way at the same time is answered as the exchange it duplicates ended.
    assert.deepEqual([a.kind, b.kind].sort(), ['duplicate', 'signedIn']);
    assert.deepEqual([a.status, b.status], [200, 200]);
    assert.equal(exchanger.calls, 1);
    assert.ok(cache.get('alice'));
    assert.equal(await flow.latestFor('alice'), null);
    assert.equal((await flow.exchange({ id, token: ssoFor('alice') }, alice)).kind, 'ignored');
    assert.equal((await flow.exchange({ token: 'sso' }, alice)).status, 400);
  });

  it('completes a token exchange that reaches another instance than the message that asked', async () => {
    // Two processes on one machine share the database; each has its own memory.
    const first = flowOn(state());
    const cacheOfSecond = new UserTokenCache();
    const second = flowOn(state(), new CountingExchanger(), cacheOfSecond);
    const { id } = await first.begin('alice', 'cancel it');
    const r = await second.exchange({ id, token: ssoFor('alice') }, alice);
    assert.equal(r.kind, 'signedIn');
    assert.equal(r.kind === 'signedIn' && r.payload, 'cancel it');
    assert.ok(cacheOfSecond.get('alice'), 'the token stays in the memory of the instance that exchanged it');
  });

  it("never exchanges or caches someone else's token, in a token exchange or a click", async () => {
    const exchanger = new CountingExchanger();
    const cache = new UserTokenCache();
    const flow = flowOn(state(), exchanger, cache);
    const { id } = await flow.begin('alice', 'cancel it');
    // Refused as a failed exchange (412, so Teams offers the Sign in button), never used.
    const r = await flow.exchange({ id, token: ssoFor('mallory') }, alice);
    assert.equal(r.status, 412);
    assert.equal(r.kind === 'failed' && r.payload, 'cancel it', 'the card can name the command');
    const wrongTenant = await flow.exchange(
      { id, token: ssoFor('alice', '99999999-2222-4333-8444-555555555555') },
      alice,
    );
    assert.equal(wrongTenant.status, 412);
    const accepted = await flow.accept(alice, ssoFor('mallory'));
    assert.equal(accepted.ok, false);
    assert.equal(exchanger.calls, 0);
    assert.equal(cache.get('alice'), null);
    assert.equal(await flow.latestFor('alice'), id, 'the command still waits for her own sign-in');
  });

  it('reads the subject without trusting the token, and refuses what is not a JWT', () => {
    assert.equal(subjectProblem(ssoFor('ALICE'), alice), null, 'object ids compare without case');
    assert.match(String(subjectProblem('not-a-jwt', alice)), /not a JWT/);
    assert.match(String(subjectProblem(ssoFor('bob'), alice)), /another user/);
  });

  it('answers 412 on a failed exchange and keeps the command for a retry', async () => {
    const flow = flowOn(state(), new CountingExchanger(new SignInRequiredError('x', 'consent')));
    const { id } = await flow.begin('alice', 'cmd');
    const r = await flow.exchange({ id, token: ssoFor('alice') }, alice);
    assert.equal(r.status, 412);
    assert.equal(r.kind === 'failed' && r.error.reason, 'consent');
    assert.equal(await flow.latestFor('alice'), id);
  });

  it('bounds remembered commands per user and forgets them after their time', async () => {
    let now = 1_000_000;
    const s = state(() => now);
    const pending = new PendingSignIns<number>(s.records, { now: () => now, maxPerUser: 3, ttlMs: 1000 });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push(`id-${i}`);
      await pending.add(`id-${i}`, 'alice', i);
    }
    const kept = await Promise.all(ids.map((id) => pending.get(id)));
    assert.deepEqual(
      kept.filter((k) => k !== null).map((k) => k!.payload),
      [7, 8, 9],
    );
    now += 5000;
    assert.equal(await pending.latestFor('alice'), null);
    assert.equal(await pending.get('id-9'), null);
  });
});
