// Azure Blob Storage for several instances, against Azurite on loopback: BlobsStorage eTags,
// exactly-once claims within one process and across two processes sharing a container, and two
// real bot processes on one container receiving the clicks of one card.

import { strict as assert } from 'node:assert';
import { buttonData } from '../../src/bot/cardActions';
import { AzureBlobStorage } from '../../src/storage/blobStorage';
import { ClaimStore } from '../../src/storage/claims';
import { Azurite, startAzurite } from '../fixtures/azurite';
import { raceTwoProcesses } from '../fixtures/race';
import { BotProcess, World, invoke, post, startBot, startWorld, userOf } from './harness';

describe('Azure Blob Storage on Azurite', function () {
  this.timeout(90_000);
  let azurite: Azurite;
  let connection: string;

  before(async () => {
    azurite = await startAzurite({ queue: true });
    connection = azurite.connectionString;
  });

  after(async () => {
    await azurite?.stop();
  });
  it('honours eTags through BlobsStorage and creates only when absent', async () => {
    const s = new AzureBlobStorage(connection, 'state-etags');
    assert.equal(await s.create('conversation:1', { ref: 'x' }), true);
    assert.equal(await s.create('conversation:1', { ref: 'y' }), false);
    const item = (await s.read(['conversation:1']))['conversation:1'] as { ref: string; eTag: string };
    assert.equal(item.ref, 'x');
    await s.write({ 'conversation:1': { ref: 'z', eTag: item.eTag } });
    await assert.rejects(s.write({ 'conversation:1': { ref: 'w', eTag: item.eTag } }), /eTag conflict/);
  });

  it('gives exactly one winner among 50 concurrent claims in one process', async () => {
    const claims = new ClaimStore(new AzureBlobStorage(connection, 'claims-one'));
    for (let k = 0; k < 10; k++) {
      const key = ClaimStore.keyOf('cancelGroupRequest', `k-${k}`);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => claims.claim(key, { userId: `u${i}` })));
      assert.equal(results.filter((r) => r.won).length, 1);
    }
  });

  it('two processes sharing the container: every key has exactly one winner', async () => {
    const [a, b] = await raceTwoProcesses(['blob', connection, 'claims-two'], 200);
    const all = [...a!.won, ...b!.won];
    assert.equal(all.length, 200, `A won ${a!.won.length}, B won ${b!.won.length}`);
    assert.equal(new Set(all).size, 200);
    assert.ok(a!.won.length > 0 && b!.won.length > 0, 'both processes really raced');
  });

  describe('two bot processes on one container', () => {
    let world: World;
    let bots: BotProcess[] = [];
    before(async () => {
      world = await startWorld();
      const env = world.botEnv({ STORAGE_CONNECTION_STRING: connection, STORAGE_CONTAINER: 'governance-state' });
      bots = [await startBot(world, env), await startBot(world, env)];
    });
    after(async () => {
      for (const b of bots) await b.stop();
      await world?.close();
    });

    it('exactly one Graph write for simultaneous clicks on one card reaching both', async () => {
      const admin = userOf(world.seed, 0);
      const sso = world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId);
      const click = (id: string, extra: Record<string, unknown> = {}) => ({
        ...invoke(world, admin, 'adaptiveCard/action', {
          action: {
            type: 'Action.Execute',
            verb: 'governance.act',
            data: buttonData({ operation: 'cancelRoleRequest', ids: { requestId: id } }),
          },
          trigger: 'manual',
          ...extra,
        }),
        replyToId: `card-${id}`,
      });
      for (const b of bots) {
        const r = await post(
          world,
          b,
          click('00000000-0000-0000-0000-0000000000bb', {
            authentication: { id: 'x', connectionName: '', token: sso },
          }),
        );
        assert.equal(r.status, 200);
      }
      for (const id of [
        '95c690fb-3eb3-4942-a03f-4524aed6f31e',
        '95c690fb-3eb3-4942-a03f-4524aed6f31f',
        '95c690fb-3eb3-4942-a03f-4524aed6f320',
      ]) {
        world.tenant.clearLog();
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => post(world, bots[i % 2]!, click(id))));
        assert.ok(results.every((r) => r.status === 200));
        assert.equal(world.tenant.graphRequests().filter((r) => r.method === 'POST').length, 1, id);
        assert.ok(
          results.every((r) => r.body.includes('Cancelled by Megan Bowen')),
          'every clicker sees the final card',
        );
      }
    });
  });
});
