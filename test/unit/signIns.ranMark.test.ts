// A waiting sign-in whose command is taken to run (src/state/signIns.ts take, for the sign-in
// pages' signin/verifyState, and finish, for a token exchange that succeeded) says so in the same
// compare and swap that takes it: a later signin/verifyState of the same sign-in, from another of
// the user's Teams clients or windows (Teams sends the card to each of them:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code),
// hears that it ran and is not asked to send it again, which would run it twice, even when the
// store fails, or the instance dies, right after the take. Teams sends signin/verifyState once the
// sign-in page called notifySuccess:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignInFlow } from '../../src/auth/sso';
import { DelegatedToken, OboExchanger, UserTokenCache } from '../../src/auth/tokens';
import { Records, StateUnavailableError } from '../../src/state/port';
import { SignInStates } from '../../src/state/signInStates';
import { PendingSignIns } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

const TENANT = '11111111-2222-4333-8444-555555555555';
const ALICE = 'aaaaaaaa-1111-4111-8111-111111111111';
const USER = { aadObjectId: ALICE, tenantId: TENANT };
const never: OboExchanger = {
  exchange: (): Promise<DelegatedToken> => Promise.reject(new Error('no exchange in this test')),
};

/** The shared records as an instance sees them that stops (its process dies, or the store goes
 * away) right after a write that takes a waiting sign-in (removes it, or writes over it what is no
 * longer one: no command in it): every write after that fails. */
function dyingAfterTake(records: Records): Records {
  let dead = false;
  const alive = <R>(write: () => Promise<R>, takes: boolean): Promise<R> => {
    if (dead) return Promise.reject(new StateUnavailableError('the instance stopped'));
    return write().then((r) => {
      dead ||= takes;
      return r;
    });
  };
  const entry = (key: string) => key.startsWith('signin:') && !key.startsWith('signin:verify:');
  return {
    get: (key) => records.get(key),
    create: (key, value, expiry) => alive(() => records.create(key, value, expiry), false),
    replace: (key, value, version, expiry) =>
      alive(() => records.replace(key, value, version, expiry), entry(key) && !has(value, 'payload')),
    put: (key, value, expiry) => alive(() => records.put(key, value, expiry), false),
    delete: (key, version) => alive(() => records.delete(key, version), entry(key)),
  };
}

function has(value: unknown, field: string): boolean {
  return typeof value === 'object' && value !== null && field in value;
}

describe('a sign-in whose command was taken to run, when the instance stops right after', () => {
  let dir: string;
  let states: SqliteState[];
  let flowThere: SignInFlow<string>;
  let signInStates: SignInStates;
  let there: PendingSignIns<string>;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-ranmark-'));
    states = [0, 1].map(() => new SqliteState(path.join(dir, 'state.db')));
    signInStates = new SignInStates(states[1]!.records);
    there = new PendingSignIns<string>(states[1]!.records);
    flowThere = new SignInFlow<string>({
      exchanger: never,
      cache: new UserTokenCache(),
      pending: there,
      resourceUri: null,
      passwordResetPage: PASSWORD_RESET_PAGES.global,
      signInUrl: (id) => `https://bot.contoso.test/auth/start?s=${id}`,
      states: signInStates,
    });
  });
  afterEach(async () => {
    for (const s of states) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('taken by a verifyState: a later verifyState of it, on another instance, says it already ran', async () => {
    const { id } = await flowThere.begin(ALICE, 'cancel it');
    const here = new PendingSignIns<string>(dyingAfterTake(states[0]!.records));
    assert.equal((await here.take(id)).entry?.payload, 'cancel it', 'taken once, to run');
    const again = await flowThere.verify(await signInStates.issueVerify(id, ALICE), USER);
    assert.deepEqual(again, { kind: 'tokenElsewhere', payload: null, id, ran: true });
    assert.equal((await there.take(id)).entry, null, 'nothing to run a second time');
  });

  it('taken by a token exchange: a later verifyState of it says it already ran; no other exchange runs it', async () => {
    const { id } = await flowThere.begin(ALICE, 'approve it');
    const here = new PendingSignIns<string>(dyingAfterTake(states[0]!.records));
    assert.ok(await here.lease(id, ALICE, 'exchange-a', 60_000));
    assert.equal(await here.finish(id, 'exchange-a'), true, 'the exchange runs it');
    const again = await flowThere.verify(await signInStates.issueVerify(id, ALICE), USER);
    assert.deepEqual(again, { kind: 'tokenElsewhere', payload: null, id, ran: true });
    assert.equal(await there.lease(id, ALICE, 'exchange-b', 60_000), null);
    assert.equal(await there.finish(id, 'exchange-b'), false);
  });

  it('a sign out after the run leaves "it ran" true; a run noted by an older instance still tells', async () => {
    const { id } = await flowThere.begin(ALICE, 'cancel it');
    assert.ok((await there.take(id)).entry);
    await there.forgetUser(ALICE);
    assert.equal(await there.ran(id, ALICE), true, 'the command did run');
    assert.equal(await there.latestFor(ALICE), null, 'nothing waits');
    // The separate record an instance of the previous version writes after removing the entry.
    await states[0]!.records.put('signin-ran:older', { at: Date.now() }, { ttlMs: 60_000 });
    assert.equal(await there.ran('older', ALICE), true);
    // A mark of the previous release names nobody: whose run it was is unknown, so it tells anyone
    // (never running a command twice).
    await states[0]!.records.put('signin:previous', { ran: true, id: 'previous', at: Date.now() }, { ttlMs: 60_000 });
    assert.equal(await there.ran('previous', 'bbbbbbbb-2222-4222-8222-222222222222'), true);
  });
});
