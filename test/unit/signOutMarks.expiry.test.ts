// A sign-out mark expires (signOuts.ts: a day, longer than any delegated token lives). Its expiry
// must not sign out a user who signed in again after it was written: the token they obtained
// under the mark is still theirs when the mark is gone, since a later sign out would have written
// a fresh mark that has not expired.

import { strict as assert } from 'node:assert';
import { KeptTokens } from '../../src/auth/keptTokens';
import { SignOutMarks } from '../../src/auth/signOuts';
import { DelegatedToken, OboExchanger, UserTokenCache } from '../../src/auth/tokens';
import { ClockedRecords } from '../fixtures/clockedRecords';

const ALICE = 'aaaaaaaa-1111-4111-8111-111111111111';
const HOUR = 3_600_000;

describe('sign-out marks: expiry', () => {
  it('keeps a token obtained after a sign out when that sign out’s mark expires', async () => {
    let now = Date.UTC(2025, 0, 1);
    const clock = () => now;
    const marks = new SignOutMarks(new ClockedRecords(clock));
    const exchanger: OboExchanger = {
      exchange: async (): Promise<DelegatedToken> => ({ token: 'graph-token', expiresOnTimestamp: now + HOUR }),
    };
    const kept = new KeptTokens(new UserTokenCache(clock), exchanger, marks);

    await kept.signOut(ALICE);
    // 23.5 hours later the user signs in again, under the mark of that sign out.
    now += 23.5 * HOUR;
    assert.equal(await kept.exchange(ALICE, 'sso-token'), true);
    assert.equal(await kept.held(ALICE), 'graph-token');
    // The mark expires with the new token still valid; the user has not signed out since.
    now += 0.75 * HOUR;
    assert.equal(await marks.current(ALICE), null, 'the mark has expired');
    assert.equal(await kept.held(ALICE), 'graph-token', 'no sign out happened after the token was obtained');
  });

  it('still drops a token obtained before a sign out, on any instance, until it expires', async () => {
    let now = Date.UTC(2025, 0, 1);
    const clock = () => now;
    const records = new ClockedRecords(clock);
    const exchanger: OboExchanger = {
      exchange: async (): Promise<DelegatedToken> => ({ token: 'graph-token', expiresOnTimestamp: now + HOUR }),
    };
    const first = new KeptTokens(new UserTokenCache(clock), exchanger, new SignOutMarks(records));
    const second = new KeptTokens(new UserTokenCache(clock), exchanger, new SignOutMarks(records));
    await first.signOut(ALICE);
    now += HOUR;
    assert.equal(await first.exchange(ALICE, 'sso-token'), true, 'signed in again under the first mark');
    now += 10 * 60_000;
    await second.signOut(ALICE);
    assert.equal(await first.held(ALICE), null, 'the second sign out reaches the first instance');
  });
});
