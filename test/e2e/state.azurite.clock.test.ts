// Two machines whose clocks disagree by 30 s share one Azure Storage account (Azurite on
// loopback). A time one writes (a record's expiry, a heartbeat, a claim's lease) and the other
// judges is judged by the storage's clock, learnt from the `Date` header of its answers
// (https://learn.microsoft.com/rest/api/storageservices/representation-of-date-time-values-in-headers),
// so the skew changes nothing: a live instance stays alive, a dead one goes after its time, a
// claim held by the live one is not taken over, a record expires at one moment for both.
//
// Azurite's clock is this machine's clock, so the skew is simulated: one instance's local clock
// runs 15 s behind it, the other's 15 s ahead. Each judges within about a second of the storage's
// time (one answer bounds its offset to half a second plus half a round trip, see
// src/state/storageClock.ts): BOUND_MS is that second plus room for a loaded machine.
// Expiry needs the storage's own time to pass: the tests wait for it, there is no event to await.

import { strict as assert } from 'node:assert';
import { AzureState } from '../../src/state/azure';
import { Claims } from '../../src/state/claims';
import { Instances } from '../../src/state/instances';
import { azuriteSession } from '../fixtures/azuriteSession';

const SKEW_MS = 15_000;
/** How far apart two instances may judge one moment of the storage's time. */
const BOUND_MS = 1_500;
/** A heartbeat's time to live here: long enough that "just written" is never "expired" on a
 * loaded machine, short enough to wait out. */
const TTL_MS = 4_000;

/** Resolves once the storage's clock (this machine's: Azurite runs here) reads `at`. */
function storageTimeReaches(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
}

describe('Azure Storage state store on Azurite: machines whose clocks disagree', function () {
  this.timeout(60_000);
  const session = azuriteSession();
  let behind: AzureState;
  let ahead: AzureState;

  beforeEach(async () => {
    const container = session.freshContainer();
    const open = (skewMs: number) =>
      new AzureState({ connectionString: session.connectionString, container, now: () => Date.now() + skewMs });
    behind = open(-SKEW_MS);
    ahead = open(SKEW_MS);
    // Each has had answers from the storage (as any instance has, before it writes anything).
    await Promise.all([behind.check(), ahead.check()]);
  });

  /** An instance of the bot on `state`, wired as the app wires it (the state's clock), on a
   * machine of its own (so liveness is the heartbeat's word, never a pid's). */
  const instanceOn = (state: AzureState, host: string, ttlMs = 15_000) =>
    new Instances(state.records, { now: state.now, ttlMs, host, pidNamespace: null });

  it('both read the storage clock: they agree on the time within the bound, though their own clocks are 30 s apart', () => {
    const storage = Date.now();
    assert.ok(Math.abs(behind.now() - storage) <= BOUND_MS, `behind reads ${behind.now() - storage} ms off`);
    assert.ok(Math.abs(ahead.now() - storage) <= BOUND_MS, `ahead reads ${ahead.now() - storage} ms off`);
  });

  it('a live instance on the machine behind is alive for the machine ahead', async () => {
    const live = instanceOn(behind, 'machine-behind');
    const judge = instanceOn(ahead, 'machine-ahead');
    await live.start();
    try {
      assert.equal(await judge.liveness(live.bootId), 'alive');
    } finally {
      await live.stop();
    }
  });

  it('an instance on the machine ahead that stopped beating is gone for the machine behind within its time to live and the bound', async () => {
    const stopped = instanceOn(ahead, 'machine-ahead', TTL_MS);
    const judge = instanceOn(behind, 'machine-behind', TTL_MS);
    // One beat and no more: the process died without deleting its heartbeat.
    await stopped.beat();
    // At the latest, the storage stamped the beat's expiry now.
    const beatBy = Date.now();
    assert.equal(await judge.liveness(stopped.bootId), 'alive', 'alive right after its beat');
    await storageTimeReaches(beatBy + TTL_MS + BOUND_MS);
    assert.equal(await judge.liveness(stopped.bootId), 'silent', 'silent once its time to live is over');
  });

  it('a claim held by the live instance on the machine behind is not taken over from the machine ahead', async () => {
    const holderInstance = instanceOn(behind, 'machine-behind');
    const clicker = instanceOn(ahead, 'machine-ahead');
    await holderInstance.start();
    try {
      const holder = new Claims(behind.records, { instance: holderInstance.bootId, now: behind.now });
      const other = new Claims(ahead.records, { instance: clicker.bootId, now: ahead.now });
      const key = Claims.keyOf('approve', 'item-1');
      assert.equal((await holder.take(key, { userId: 'megan' })).won, true);

      // The second click, as the card action takes a claim: its holder is dead only if the
      // heartbeat says so, and a lease that ran out frees it anyway.
      const current = await other.get(key);
      assert.ok(current);
      const dead = (await clicker.liveness(current.instance)) !== 'alive';
      const second = await other.take(key, { userId: 'alex' }, (r) => dead && r.instance === current.instance);
      assert.equal(second.won, false, 'the live holder keeps its claim');
    } finally {
      await holderInstance.stop();
    }
  });

  it('a record with a time to live expires at the same moment for both machines', async () => {
    await behind.records.put('signin:abc', { user: 'megan' }, { ttlMs: TTL_MS });
    const writtenBy = Date.now();
    assert.ok(await behind.records.get('signin:abc'), 'present for the machine that wrote it');
    assert.ok(await ahead.records.get('signin:abc'), 'present for the other machine');
    await storageTimeReaches(writtenBy + TTL_MS + BOUND_MS);
    assert.equal(await behind.records.get('signin:abc'), null, 'gone for the machine that wrote it');
    assert.equal(await ahead.records.get('signin:abc'), null, 'gone for the other machine');
  });
});
