// "sign out" (or a cancelled sign-in) while the sign-in pages' end page keeps the token it redeemed
// (KeptTokens.keepIf, SignInFlow.signedIn): the sign out must win however the two interleave, on
// one instance or across two that share the state. Without the start page's sign-out mark, the end
// page keeps a token only while its pending sign-in still waits, under the sign-out mark read
// before it looked; with it, while that mark is unchanged, so that a token exchange from another
// of the user's clients that holds (leases) the pending sign-in at that moment does not lose it.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignInRequiredError } from '../../src/domain/errors';
import { SignOutMarks } from '../../src/auth/signOuts';
import { SignInFlow } from '../../src/auth/sso';
import { DelegatedToken, OboExchanger, UserTokenCache } from '../../src/auth/tokens';
import { PendingSignIns, PendingSignIn } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

const ALICE = 'alice';
const TENANT = 'tenant';
const never: OboExchanger = {
  exchange: (): Promise<DelegatedToken> => Promise.reject(new Error('no exchange in these tests')),
};

/** An SSO token of `oid` in TENANT, as Teams sends it (the subject check reads it unsigned). */
function ssoToken(oid: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid, tid: TENANT })}.sig`;
}

/**
 * An on-behalf-of exchanger whose next call stops on Entra's side until `answer` is called: the
 * token exchange of another of the user's clients, holding the pending sign-in meanwhile.
 */
class HeldExchange implements OboExchanger {
  private arrived!: () => void;
  private settle!: (outcome: DelegatedToken | Error) => void;
  /** Resolves once the exchange asked Entra (it holds the pending sign-in by then). */
  readonly asking = new Promise<void>((resolve) => (this.arrived = resolve));
  private readonly outcome = new Promise<DelegatedToken | Error>((resolve) => (this.settle = resolve));

  async exchange(): Promise<DelegatedToken> {
    this.arrived();
    const outcome = await this.outcome;
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  answer(outcome: DelegatedToken | Error): void {
    this.settle(outcome);
  }
}

/** Pending sign-ins whose next forgetUser or get lets a hook run (before or after): a chosen interleaving. */
class HookedPending extends PendingSignIns<string> {
  beforeForget: (() => Promise<void>) | null = null;
  afterForget: (() => Promise<void>) | null = null;
  afterGet: (() => Promise<void>) | null = null;

  override async forgetUser(aadObjectId: string): Promise<void> {
    const hook = this.beforeForget;
    this.beforeForget = null;
    if (hook) await hook();
    await super.forgetUser(aadObjectId);
    const after = this.afterForget;
    this.afterForget = null;
    if (after) await after();
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

  const flow = (pending: PendingSignIns<string>, signOuts: SignOutMarks | null, exchanger: OboExchanger = never) =>
    new SignInFlow<string>({
      exchanger,
      cache: new UserTokenCache(),
      pending,
      resourceUri: null,
      passwordResetPage: PASSWORD_RESET_PAGES.global,
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
  it('a token exchange from another client holds the sign-in: the end page keeps its token, the command waits again after', async () => {
    const marks = new SignOutMarks(state.records);
    const entra = new HeldExchange();
    const pending = new PendingSignIns<string>(state.records);
    const here = flow(pending, marks, entra);
    const { id } = await here.begin(ALICE, 'cancel access-request 1');
    // The start page found the sign-in waiting, under Alice's mark then (she never signed out).
    const view = await here.pendingView(id);
    assert.ok(view);
    // Teams sends the token exchange from Alice's other client: it leases the sign-in and asks Entra.
    const exchanging = here.exchange({ id, token: ssoToken(ALICE) }, { aadObjectId: ALICE, tenantId: TENANT });
    await entra.asking;
    assert.ok((await pending.get(id))?.lease, 'the exchange holds the sign-in, in place');

    const redeemed = token();
    const kept = await here.signedIn(ALICE, redeemed, inAnHour(), id, view.signOutMark);
    assert.equal(kept, true, 'Alice did not sign out: the end page reports success');
    assert.equal(here.cachedToken(ALICE), redeemed, 'the redeemed token is kept');

    // Entra refuses the other client's exchange (consent missing): the sign-in waits again, and
    // the page's token serves it.
    entra.answer(new SignInRequiredError('consent required', 'consent'));
    assert.equal((await exchanging).status, 412);
    assert.ok(await here.pendingView(id), 'the command waits again, for verifyState');
    const now = await here.tokenFor({ aadObjectId: ALICE, tenantId: TENANT });
    assert.deepEqual(now, { kind: 'token', token: redeemed });
  });

  it('a sign out while the exchange holds the sign-in and the page is open still wins', async () => {
    const marks = new SignOutMarks(state.records);
    const entra = new HeldExchange();
    const pages = flow(new PendingSignIns<string>(state.records), marks, entra);
    const elsewhere = flow(new PendingSignIns<string>(state.records), marks);
    const { id } = await pages.begin(ALICE, 'cancel access-request 1');
    const view = await pages.pendingView(id);
    assert.ok(view);
    const exchanging = pages.exchange({ id, token: ssoToken(ALICE) }, { aadObjectId: ALICE, tenantId: TENANT });
    await entra.asking;
    await elsewhere.forgetUser(ALICE);
    entra.answer(new SignInRequiredError('consent required', 'consent'));
    await exchanging;
    // The sign out forgot the sign-in the exchange held; its failure gives nothing back (the
    // command would wait again for the card's Sign in button after the user signed out).
    assert.equal(await pages.pendingView(id), null, 'nothing waits after the sign out');
    // And an end page whose start page ran before the sign out: the changed mark still wins.
    const kept = await pages.signedIn(ALICE, token(), inAnHour(), id, view.signOutMark);
    assert.equal(kept, false, 'the end page says the sign-in was not kept');
    assert.equal(pages.cachedToken(ALICE), null);
    assert.equal((await pages.tokenFor({ aadObjectId: ALICE, tenantId: TENANT })).kind, 'needed');
  });

  it('on another instance, with the start page’s mark: an end page between the sign out’s steps keeps nothing usable', async () => {
    const marks = new SignOutMarks(state.records);
    const signingOut = new HookedPending(state.records);
    const here = flow(signingOut, marks);
    const there = flow(new PendingSignIns<string>(state.records), marks);
    for (const step of ['beforeForget', 'afterForget'] as const) {
      const { id } = await here.begin(ALICE, 'cancel access-request 1');
      const view = await there.pendingView(id);
      assert.ok(view);
      let kept: boolean | null = null;
      signingOut[step] = async () => {
        kept = await there.signedIn(ALICE, token(), inAnHour(), id, view.signOutMark);
      };
      await here.forgetUser(ALICE);
      assert.notEqual(kept, null, `the end page ran during the sign out (${step})`);
      const after = await there.tokenFor({ aadObjectId: ALICE, tenantId: TENANT });
      assert.equal(after.kind, 'needed', `the sign out wins (${step})`);
    }
  });

  it('the start page binds the mark read before it last found the sign-in: a sign out as it looks wins', async () => {
    const marks = new SignOutMarks(state.records);
    const pending = new HookedPending(state.records);
    const pages = flow(pending, marks);
    const { id } = await pages.begin(ALICE, 'cancel access-request 1');
    // The sign out runs whole right after the start page first finds the sign-in.
    pending.afterGet = () => pages.forgetUser(ALICE);
    const view = await pages.pendingView(id);
    if (view) await pages.signedIn(ALICE, token(), inAnHour(), id, view.signOutMark);
    assert.equal(view, null, 'the start page finds no sign-in to begin');
    assert.equal((await pages.tokenFor({ aadObjectId: ALICE, tenantId: TENANT })).kind, 'needed');
  });
});
