// A sign-in that no longer waits is asked two things by a signin/tokenExchange and by a
// signin/verifyState: is it waiting, and if not, did its command run (src/state/signIns.ts lookup
// and take, src/state/signInLookup.ts). Teams sends both invokes from each of the user's clients
// that show the card, so every one of them but the first finds the sign-in gone:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot
// The second answer comes from the reads of the first: at most three reads of the shared state
// (the entry, the pointer of a card sent again, an older instance's record of a run) and none
// twice, where asking the two questions apart read up to seven.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignInFlow } from '../../src/auth/sso';
import { DelegatedToken, OboExchanger, UserTokenCache } from '../../src/auth/tokens';
import { Records } from '../../src/state/port';
import { SignInStates } from '../../src/state/signInStates';
import { PendingSignIns } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

const TENANT = '11111111-2222-4333-8444-555555555555';
const ALICE = 'aaaaaaaa-1111-4111-8111-111111111111';
const USER = { aadObjectId: ALICE, tenantId: TENANT };
const UNKNOWN = 'bbbbbbbb-2222-4222-8222-222222222222';
const never: OboExchanger = {
  exchange: (): Promise<DelegatedToken> => Promise.reject(new Error('no exchange in this test')),
};

/** The shared records, with the keys every read asked for. */
function countingReads(records: Records): { records: Records; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    records: {
      get: (key) => {
        reads.push(key);
        return records.get(key);
      },
      create: (key, value, expiry) => records.create(key, value, expiry),
      replace: (key, value, version, expiry) => records.replace(key, value, version, expiry),
      put: (key, value, expiry) => records.put(key, value, expiry),
      delete: (key, version) => records.delete(key, version),
    },
  };
}

describe('a sign-in that is gone, asked whether it waits and whether it ran', () => {
  let dir: string;
  let state: SqliteState;
  let counted: { records: Records; reads: string[] };
  let pending: PendingSignIns<string>;
  let states: SignInStates;
  let flow: SignInFlow<string>;

  /** The reads of the pending sign-ins that `act` makes, each key at most once, and how many. */
  async function readsOf<R>(act: () => Promise<R>): Promise<{ result: R; reads: string[] }> {
    counted.reads.length = 0;
    const result = await act();
    const reads = [...counted.reads];
    assert.deepEqual(reads, [...new Set(reads)], `no key read twice: ${reads.join(', ')}`);
    return { result, reads };
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-gonereads-'));
    state = new SqliteState(path.join(dir, 'state.db'));
    counted = countingReads(state.records);
    pending = new PendingSignIns<string>(counted.records);
    states = new SignInStates(state.records);
    flow = new SignInFlow<string>({
      exchanger: never,
      cache: new UserTokenCache(),
      pending,
      resourceUri: null,
      passwordResetPage: PASSWORD_RESET_PAGES.global,
      signInUrl: (id) => `https://bot.contoso.test/auth/start?s=${id}`,
      states,
    });
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a token exchange for a card nothing waits for: unknownId in at most three reads', async () => {
    const { result, reads } = await readsOf(() => flow.exchange({ id: UNKNOWN, token: 'sso-token' }, USER));
    assert.deepEqual(result, { status: 200, kind: 'ignored', why: 'unknownId' });
    assert.ok(reads.length <= 3, `${reads.length} reads: ${reads.join(', ')}`);
  });

  it('a token exchange for a card sent again whose command ran: alreadyRan in at most three reads', async () => {
    const { id } = await flow.begin(ALICE, 'cancel it');
    assert.ok(await pending.moveTo(id, UNKNOWN, ALICE));
    assert.equal((await pending.take(id)).entry?.payload, 'cancel it');
    const { result, reads } = await readsOf(() => flow.exchange({ id: UNKNOWN, token: 'sso-token' }, USER));
    assert.deepEqual(result, { status: 200, kind: 'ignored', why: 'alreadyRan' });
    assert.ok(reads.length <= 3, `${reads.length} reads: ${reads.join(', ')}`);
  });

  it('a token exchange for a run an older instance noted apart: alreadyRan in at most three reads', async () => {
    await state.records.put(`signin-ran:${UNKNOWN}`, { at: Date.now() }, { ttlMs: 60_000 });
    const { result, reads } = await readsOf(() => flow.exchange({ id: UNKNOWN, token: 'sso-token' }, USER));
    assert.deepEqual(result, { status: 200, kind: 'ignored', why: 'alreadyRan' });
    assert.ok(reads.length <= 3, `${reads.length} reads: ${reads.join(', ')}`);
  });

  it('a verifyState, token elsewhere, of a sign-in a sign out forgot: in at most three reads', async () => {
    const { id } = await flow.begin(ALICE, 'cancel it');
    await pending.forgetUser(ALICE);
    const verifyState = await states.issueVerify(id, ALICE);
    const { result, reads } = await readsOf(() => flow.verify(verifyState, USER));
    assert.deepEqual(result, { kind: 'tokenElsewhere', payload: null, id });
    assert.ok(reads.length <= 3, `${reads.length} reads: ${reads.join(', ')}`);
  });

  it('a verifyState, token here, of a card sent again whose command ran: in at most three reads', async () => {
    const { id } = await flow.begin(ALICE, 'cancel it');
    assert.equal(await flow.signedIn(ALICE, 'graph-token-of-alice', Date.now() + 3_600_000, id), true);
    assert.ok(await pending.moveTo(id, UNKNOWN, ALICE));
    assert.equal((await pending.take(id)).entry?.payload, 'cancel it');
    const verifyState = await states.issueVerify(UNKNOWN, ALICE);
    const { result, reads } = await readsOf(() => flow.verify(verifyState, USER));
    assert.deepEqual(result, { kind: 'signedIn', payload: null, ran: true });
    assert.ok(reads.length <= 3, `${reads.length} reads: ${reads.join(', ')}`);
  });
});
