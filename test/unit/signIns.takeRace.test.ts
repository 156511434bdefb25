// signin/verifyState takes the waiting command to run (src/state/signIns.ts take) by a compare and
// swap over the entry it read. A token exchange from another of the user's Teams clients (Teams
// sends the card to each: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code)
// may lease the entry, or note why its exchange failed, between that read and that write, on
// another instance: the entry still waits, only changed, and a lease does not stop a take. The
// take must still take it; answering "nothing waits" told the user "Send your command again"
// while it waited, and the exchange that held it then ran it too: twice with the command sent
// again. Teams sends signin/verifyState once the sign-in page called notifySuccess:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot

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
const never: OboExchanger = {
  exchange: (): Promise<DelegatedToken> => Promise.reject(new Error('no exchange in this test')),
};

/** The shared records, where `beforeWrite` runs (once) right before the next conditional write of
 * a waiting sign-in's entry: another instance's write that comes between the read and the write. */
function interleaved(records: Records): { records: Records; beforeWrite: (() => Promise<void>) | null } {
  const hooks = {
    beforeWrite: null as (() => Promise<void>) | null,
    records: {
      get: (key) => records.get(key),
      create: (key, value, expiry) => records.create(key, value, expiry),
      replace: async (key, value, version, expiry) => {
        const hook = key.startsWith('signin:') && !key.startsWith('signin:verify:') ? hooks.beforeWrite : null;
        hooks.beforeWrite = null;
        if (hook) await hook();
        return records.replace(key, value, version, expiry);
      },
      put: (key, value, expiry) => records.put(key, value, expiry),
      delete: (key, version) => records.delete(key, version),
    } satisfies Records,
  };
  return hooks;
}

describe('a take that another instance’s write overtakes while the sign-in still waits', () => {
  let dir: string;
  let states: SqliteState[];
  let hooked: ReturnType<typeof interleaved>;
  let here: PendingSignIns<string>;
  let there: PendingSignIns<string>;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-takerace-'));
    states = [0, 1].map(() => new SqliteState(path.join(dir, 'state.db')));
    hooked = interleaved(states[0]!.records);
    here = new PendingSignIns<string>(hooked.records);
    there = new PendingSignIns<string>(states[1]!.records);
  });
  afterEach(async () => {
    for (const s of states) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a token exchange leases it meanwhile: taken all the same, and that exchange runs nothing', async () => {
    await there.add('id-1', ALICE, 'cancel it');
    hooked.beforeWrite = async () => {
      assert.ok(await there.lease('id-1', ALICE, 'exchange-a', 60_000), 'the exchange holds it');
    };
    const taken = await here.take('id-1');
    assert.equal(taken.entry?.payload, 'cancel it', 'taken, to run');
    assert.equal(await there.finish('id-1', 'exchange-a'), false, 'run once, by the take');
    assert.equal(await there.ran('id-1', ALICE), true);
  });

  it('an exchange notes why it failed meanwhile, through a card sent again: taken all the same', async () => {
    await there.add('id-2', ALICE, 'approve it');
    assert.ok(await there.moveTo('id-2', 'id-2-again', ALICE));
    hooked.beforeWrite = async () => {
      assert.ok(await there.note('id-2-again', ALICE, { reason: 'mfa' }));
    };
    const taken = await here.take('id-2-again');
    assert.equal(taken.entry?.payload, 'approve it');
    assert.equal((await there.take('id-2')).entry, null, 'nothing left to run');
  });

  it('another take wins meanwhile: nothing taken here, and it says the command ran', async () => {
    await there.add('id-3', ALICE, 'cancel it');
    hooked.beforeWrite = async () => {
      assert.equal((await there.take('id-3')).entry?.payload, 'cancel it');
    };
    assert.deepEqual(await here.take('id-3'), { entry: null, ran: true });
  });

  it('takes, exchanges and notes on two instances at once: each command taken exactly once', async () => {
    // Five at a time: the user's remembered commands are kept five at most (maxPerUser).
    for (let round = 0; round < 4; round++) await takenOnce(Array.from({ length: 5 }, (_, i) => `id-${round}-${i}`));
  });

  async function takenOnce(ids: string[]): Promise<void> {
    for (const id of ids) await there.add(id, ALICE, `command ${id}`);
    const outcomes = await Promise.all(
      ids.map(async (id) => {
        const [takenHere, takenThere, leased] = await Promise.all([
          here.take(id),
          there.take(id),
          there.lease(id, ALICE, `exchange-${id}`, 60_000),
          here.note(id, ALICE, { reason: 'consent' }),
        ]);
        const finished = leased ? await there.finish(id, `exchange-${id}`) : false;
        return [takenHere.entry !== null, takenThere.entry !== null, finished].filter(Boolean).length;
      }),
    );
    assert.deepEqual(
      outcomes,
      ids.map(() => 1),
    );
    for (const id of ids) assert.deepEqual(await here.lookup(id), { entry: null, ran: true });
  }

  it('a verifyState runs the command rather than asking the user to send it again', async () => {
    const signInStates = new SignInStates(states[0]!.records);
    const flow = new SignInFlow<string>({
      exchanger: never,
      cache: new UserTokenCache(),
      pending: here,
      resourceUri: null,
      passwordResetPage: PASSWORD_RESET_PAGES.global,
      signInUrl: (id) => `https://bot.contoso.test/auth/start?s=${id}`,
      states: signInStates,
    });
    const { id } = await flow.begin(ALICE, 'cancel it');
    assert.equal(await flow.signedIn(ALICE, 'graph-token-of-alice', Date.now() + 3_600_000, id), true);
    const verifyState = await signInStates.issueVerify(id, ALICE);
    hooked.beforeWrite = async () => {
      assert.ok(await there.lease(id, ALICE, 'exchange-a', 60_000));
    };
    const outcome = await flow.verify(verifyState, { aadObjectId: ALICE, tenantId: TENANT });
    assert.deepEqual(outcome, { kind: 'signedIn', payload: 'cancel it' });
    assert.equal(await there.finish(id, 'exchange-a'), false, 'the exchange runs nothing');
  });
});
