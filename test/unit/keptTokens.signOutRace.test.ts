// "sign out" (or a cancelled sign-in) while the sign-in pages' end page keeps the token it redeemed
// (KeptTokens.keepIf, SignInFlow.signedIn): the sign out must win however the two interleave, on
// one instance or across two that share the state. The end page keeps a token only while its
// pending sign-in still waits, under the sign-out mark read before it looked.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignOutMarks } from '../../src/auth/signOuts';
import { SignInFlow } from '../../src/auth/sso';
import { DelegatedToken, OboExchanger, UserTokenCache } from '../../src/auth/tokens';
import { PendingSignIns, PendingSignIn } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';

const ALICE = 'alice';
const never: OboExchanger = {
  exchange: (): Promise<DelegatedToken> => Promise.reject(new Error('no exchange in these tests')),
};

/** Pending sign-ins whose next forgetUser or get first lets `hook` run: a chosen interleaving. */
class HookedPending extends PendingSignIns<string> {
  beforeForget: (() => Promise<void>) | null = null;
  afterGet: (() => Promise<void>) | null = null;

  override async forgetUser(aadObjectId: string): Promise<void> {
    const hook = this.beforeForget;
    this.beforeForget = null;
    if (hook) await hook();
    return super.forgetUser(aadObjectId);
  }

  override async get(id: string): Promise<PendingSignIn<string> | null> {
    const found = await super.get(id);
    const hook = this.afterGet;
    this.afterGet = null;
    if (hook) await hook();
    return found;
  }
}

describe('a sign out under way while the end page keeps its token', () => {
  let dir: string;
  let state: SqliteState;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-keepif-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const flow = (pending: PendingSignIns<string>, signOuts: SignOutMarks | null) =>
    new SignInFlow<string>({
      exchanger: never,
      cache: new UserTokenCache(),
      pending,
      resourceUri: null,
      signInUrl: (id) => `https://bot.contoso.test/auth/start?s=${id}`,
      signOuts,
    });
  const token = () => `redeemed-${Date.now()}`;
  const inAnHour = () => Date.now() + 3_600_000;

  it('on another instance: an end page that looks between the sign out’s steps keeps nothing usable', async () => {
    const marks = new SignOutMarks(state.records);
    const signingOut = new HookedPending(state.records);
    const here = flow(signingOut, marks);
    const there = flow(new PendingSignIns<string>(state.records), marks);
    const { id } = await here.begin(ALICE, 'cancel access-request 1');
    let kept: boolean | null = null;
    // The end page on the other instance runs while this instance's sign out is under way.
    signingOut.beforeForget = async () => {
      kept = await there.signedIn(ALICE, token(), inAnHour(), id);
    };
    await here.forgetUser(ALICE);
    assert.notEqual(kept, null, 'the end page ran during the sign out');
    const after = await there.tokenFor({ aadObjectId: ALICE, tenantId: 'tenant' });
    assert.equal(after.kind, 'needed', 'the sign out wins: the next command asks to sign in');
  });

  it('on the same instance: a sign out that ends while the end page looks wins', async () => {
    const pending = new HookedPending(state.records);
    const here = flow(pending, null);
    const { id } = await here.begin(ALICE, 'cancel access-request 1');
    // The end page found the sign-in still waiting; the sign out ends before it keeps the token.
    pending.afterGet = () => here.forgetUser(ALICE);
    const kept = await here.signedIn(ALICE, token(), inAnHour(), id);
    assert.equal(here.cachedToken(ALICE), null, 'no token survives the sign out');
    assert.equal(kept, false, 'the end page says the sign-in was not kept');
  });
});
