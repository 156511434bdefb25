import { strict as assert } from 'node:assert';
import { SignInFlow } from '../../src/auth/sso';
import { DelegatedToken, OboExchanger, UserTokenCache, classifySignInFailure } from '../../src/auth/tokens';
import { SignInRequiredError } from '../../src/domain/errors';

class CountingExchanger implements OboExchanger {
  calls = 0;
  constructor(private readonly fail: SignInRequiredError | null = null) {}
  async exchange(): Promise<DelegatedToken> {
    this.calls++;
    await new Promise((r) => setTimeout(r, 5));
    if (this.fail) throw this.fail;
    return { token: 'graph-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

describe('sign-in', () => {
  it('classifies Entra failures by their AADSTS codes', () => {
    assert.equal(
      classifySignInFailure('invalid_grant: AADSTS65001: The user or administrator has not consented'),
      'consent',
    );
    assert.equal(classifySignInFailure('interaction_required: AADSTS50076: Due to a configuration change'), 'mfa');
    assert.equal(
      classifySignInFailure('invalid_grant: AADSTS500133: Assertion is not within its valid time range.'),
      'expired',
    );
    assert.equal(classifySignInFailure('something else'), 'unknown');
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

  it('runs a remembered command once, only for the user who asked, even for concurrent duplicates', async () => {
    const exchanger = new CountingExchanger();
    const cache = new UserTokenCache();
    const flow = new SignInFlow<string>({ exchanger, cache, resourceUri: 'api://botid-x' });
    const { id, card } = flow.begin('alice', 'cancel it');
    assert.equal(
      (card.content as { tokenExchangeResource: { id: string; uri: string } }).tokenExchangeResource.uri,
      'api://botid-x',
    );
    const other = await flow.exchange({ id, token: 'sso' }, 'mallory');
    assert.deepEqual(other, { status: 200, kind: 'ignored', why: 'otherUser' });
    const [a, b] = await Promise.all([
      flow.exchange({ id, token: 'sso' }, 'alice'),
      flow.exchange({ id, token: 'sso' }, 'alice'),
    ]);
    const kinds = [a.kind, b.kind].sort();
    assert.deepEqual(kinds, ['ignored', 'signedIn']);
    assert.equal(exchanger.calls, 1);
    assert.equal(cache.get('alice'), 'graph-token');
    assert.equal(flow.pendingCount, 0);
    assert.equal((await flow.exchange({ id, token: 'sso' }, 'alice')).kind, 'ignored');
    assert.equal((await flow.exchange({ token: 'sso' }, 'alice')).status, 400);
  });

  it('answers 412 on a failed exchange and keeps the command for a retry', async () => {
    const flow = new SignInFlow<string>({
      exchanger: new CountingExchanger(new SignInRequiredError('x', 'consent')),
      cache: new UserTokenCache(),
      resourceUri: null,
    });
    const { id } = flow.begin('alice', 'cmd');
    const r = await flow.exchange({ id, token: 'sso' }, 'alice');
    assert.equal(r.status, 412);
    assert.equal(r.kind === 'failed' && r.error.reason, 'consent');
    assert.equal(flow.latestFor('alice'), id);
  });

  it('bounds remembered commands per user and forgets them after their time', () => {
    let now = 0;
    const flow = new SignInFlow<number>({
      exchanger: new CountingExchanger(),
      cache: new UserTokenCache(),
      resourceUri: null,
      now: () => now,
      maxPerUser: 3,
      ttlMs: 1000,
    });
    for (let i = 0; i < 10; i++) flow.begin('alice', i);
    assert.equal(flow.pendingCount, 3);
    now = 5000;
    assert.equal(flow.latestFor('alice'), null);
  });
});
