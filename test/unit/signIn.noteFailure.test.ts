// Why a pending sign-in's silent exchange failed (consent, MFA and its claims challenge) is noted
// on the waiting entry for its start page (contract §5.3: on failure Teams shows the Sign in
// button and the remembered command runs after sign-in). The note is written in place: a state
// store that fails while writing it must leave the entry, and the command it remembers, waiting,
// or the user's Sign in would lead to a command that never runs. The claims challenge comes from
// Entra's MFA answer (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow,
// "Error response example").

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignInRequiredError } from '../../src/domain/errors';
import { SignInFlow } from '../../src/auth/sso';
import { ClaimsChallengeError, DelegatedToken, OboExchanger, UserTokenCache } from '../../src/auth/tokens';
import { PendingSignIns } from '../../src/state/signIns';
import { Records, StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

const never: OboExchanger = {
  exchange: (): Promise<DelegatedToken> => Promise.reject(new Error('no exchange in these tests')),
};

type Flaky = Records & { failing: boolean; replaced: Parameters<Records['replace']>[3][] };

/** The shared records, whose writes fail while `failing` (the state store is unavailable). */
function flaky(records: Records): Flaky {
  const fail = () => Promise.reject(new StateUnavailableError('state store unavailable'));
  const r: Flaky = {
    failing: false,
    replaced: [],
    get: (key) => records.get(key),
    create: (key, value, expiry) => (r.failing ? fail() : records.create(key, value, expiry)),
    replace: (key, value, version, expiry) => {
      r.replaced.push(expiry);
      return r.failing ? fail() : records.replace(key, value, version, expiry);
    },
    put: (key, value, expiry) => (r.failing ? fail() : records.put(key, value, expiry)),
    delete: (key, version) => records.delete(key, version),
  };
  return r;
}

describe('noting why a pending sign-in failed', () => {
  let dir: string;
  let state: SqliteState;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-note-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const flow = (pending: PendingSignIns<string>) =>
    new SignInFlow<string>({
      exchanger: never,
      cache: new UserTokenCache(),
      pending,
      resourceUri: null,
      passwordResetPage: PASSWORD_RESET_PAGES.global,
      signInUrl: (id) => `https://bot.contoso.test/auth/start?s=${id}`,
    });

  it('a state store that fails while noting it leaves the command waiting', async () => {
    const records = flaky(state.records);
    const pending = new PendingSignIns<string>(records);
    const signIn = flow(pending);
    const { id } = await signIn.begin('Alice', 'cancel access-request 1');
    records.failing = true;
    await assert.rejects(signIn.noteFailure(id, 'alice', new SignInRequiredError('consent missing', 'consent')));
    records.failing = false;
    const still = await pending.get(id);
    assert.ok(still, 'the pending sign-in was lost with its command');
    assert.equal(still.payload, 'cancel access-request 1');
    assert.equal(still.aadObjectId, 'alice');
  });

  it('notes the reason and claims in place, for its user only, and keeps its expiry', async () => {
    const records = flaky(state.records);
    const pending = new PendingSignIns<string>(records);
    const signIn = flow(pending);
    const { id } = await signIn.begin('Alice', 'cancel access-request 1');
    await signIn.noteFailure(id, 'mallory', new SignInRequiredError('consent missing', 'consent'));
    assert.equal((await pending.get(id))?.reason, undefined, 'another user noted a reason');
    const claims = '{"access_token":{"capolids":{"essential":true,"values":["1"]}}}';
    await signIn.noteFailure(id, 'ALICE', new ClaimsChallengeError('MFA required', 'mfa', claims));
    const noted = await pending.get(id);
    assert.equal(noted?.reason, 'mfa');
    assert.equal(noted?.claims, claims);
    assert.equal(noted?.payload, 'cancel access-request 1');
    assert.deepEqual(records.replaced, ['keep'], 'the note changed the sign-in’s expiry');
    // A failure with nothing the page can mend is not noted.
    await signIn.noteFailure(id, 'alice', new SignInRequiredError('blocked', 'blocked'));
    assert.equal((await pending.get(id))?.reason, 'mfa');
  });
});
