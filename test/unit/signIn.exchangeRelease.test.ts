// A refused token exchange lets go of the waiting sign-in it held (signIns.ts lease/release) and
// notes why (consent, MFA and its claims, a fresh login) for the sign-in page. A state store that
// fails as it lets go must neither hide from the user what Entra wants (the refusal is answered 412,
// so Teams shows the card's Sign in button, and the user is told why:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code)
// nor, when it fails only once, leave the page without the reason and the card's other exchanges
// held for the rest of the lease. The claims challenge comes from Entra's answer
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignInFlow } from '../../src/auth/sso';
import { ClaimsChallengeError, DelegatedToken, OboExchanger, UserTokenCache } from '../../src/auth/tokens';
import { Records, StateUnavailableError } from '../../src/state/port';
import { PendingSignIns } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

const ALICE = 'alice';
const TENANT = 'tenant';
const CLAIMS = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';

/** An SSO token of `oid` in TENANT, as Teams sends it (the subject check reads it unsigned). */
function ssoToken(oid: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid, tid: TENANT })}.sig`;
}

/** Entra asks for MFA (a claims challenge) on every exchange. */
const mfa: OboExchanger = {
  exchange: (): Promise<DelegatedToken> => Promise.reject(new ClaimsChallengeError('MFA required', 'mfa', CLAIMS)),
};

/** The shared records, whose next `failures` writes that end a lease (a waiting sign-in written
 * without one) fail: the state store is unavailable just then. */
function failingRelease(records: Records): Records & { failures: number } {
  const r: Records & { failures: number } = {
    failures: 0,
    get: (key) => records.get(key),
    create: (key, value, expiry) => records.create(key, value, expiry),
    replace: (key, value, version, expiry) => {
      const ends = key.startsWith('signin:') && (value as { lease?: unknown }).lease === undefined;
      if (ends && r.failures > 0) {
        r.failures--;
        return Promise.reject(new StateUnavailableError('state store unavailable'));
      }
      return records.replace(key, value, version, expiry);
    },
    put: (key, value, expiry) => records.put(key, value, expiry),
    delete: (key, version) => records.delete(key, version),
  };
  return r;
}

describe('a refused token exchange whose state store fails as it lets go of the sign-in', () => {
  let dir: string;
  let state: SqliteState;
  let now: number;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-release-'));
    now = Date.UTC(2026, 0, 5, 9);
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => now });
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function rig() {
    const records = failingRelease(state.records);
    const pending = new PendingSignIns<string>(records, { now: () => now });
    const flow = new SignInFlow<string>({
      exchanger: mfa,
      cache: new UserTokenCache(),
      pending,
      resourceUri: null,
      passwordResetPage: PASSWORD_RESET_PAGES.global,
      signInUrl: (id) => `https://bot.contoso.test/auth/start?s=${id}`,
    });
    return { records, pending, flow };
  }

  it('a store that fails once: the reason and claims are noted for the page and the lease ends', async () => {
    const { records, pending, flow } = rig();
    const { id } = await flow.begin(ALICE, 'cancel it');
    records.failures = 1;
    const result = await flow.exchange({ id, token: ssoToken(ALICE) }, { aadObjectId: ALICE, tenantId: TENANT });
    assert.equal(result.kind, 'failed');
    assert.equal(result.status, 412);
    const waiting = await pending.get(id);
    assert.equal(waiting?.reason, 'mfa', 'the sign-in page would not ask for MFA');
    assert.equal(waiting?.claims, CLAIMS);
    assert.equal(waiting?.lease, undefined, 'the card’s other exchanges would be held for a minute');
    assert.ok(await pending.lease(id, ALICE, 'another client', 60_000));
  });

  it('a store that keeps failing: the user is still told what Entra wants, and the command still waits', async () => {
    const { records, pending, flow } = rig();
    const { id } = await flow.begin(ALICE, 'cancel it');
    records.failures = 2;
    const result = await flow.exchange({ id, token: ssoToken(ALICE) }, { aadObjectId: ALICE, tenantId: TENANT });
    assert.equal(result.kind, 'failed');
    if (result.kind !== 'failed') return;
    assert.equal(result.error.reason, 'mfa');
    assert.equal(result.told, false, 'told once, here');
    assert.equal(result.notNoted, true);
    assert.equal(result.payload, 'cancel it');
    assert.equal((await pending.get(id))?.payload, 'cancel it', 'the command still waits for the pages');
    // Once the lease ends, the card's next exchange holds the sign-in.
    now += 60_001;
    assert.ok(await pending.lease(id, ALICE, 'another client', 60_000));
  });
});
