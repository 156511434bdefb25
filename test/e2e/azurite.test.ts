// Several instances on Azure Storage, against Azurite on loopback: two real bot processes on one
// container (records on Blob Storage, the outbox on Queue Storage) receiving the clicks of one
// card. The state port itself is proven against Azurite by state.azurite.test.ts.

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import { AzureState } from '../../src/state/azure';
import { CardBindings } from '../../src/state/cardBindings';
import { Azurite, startAzurite } from '../fixtures/azurite';
import { BotProcess, World, invoke, post, startBot, startWorld, userOf } from './harness';

const CONTAINER = 'governance-state';

describe('Azure Storage on Azurite: two bot processes on one container', function () {
  this.timeout(90_000);
  let azurite: Azurite;
  let world: World;
  let bots: BotProcess[] = [];
  let state: AzureState;
  let env: Record<string, string>;

  before(async () => {
    azurite = await startAzurite({ queue: true });
    world = await startWorld();
    env = world.botEnv({ STORAGE_CONNECTION_STRING: azurite.connectionString, STORAGE_CONTAINER: CONTAINER });
    bots = [await startBot(world, env), await startBot(world, env)];
    state = new AzureState({ connectionString: azurite.connectionString, container: CONTAINER });
  });

  after(async () => {
    for (const b of bots) await b.stop();
    await world?.close();
    await state?.close();
    await azurite?.stop();
  });

  it('exactly one Graph write for simultaneous clicks on one card reaching both', async () => {
    const admin = userOf(world.seed, 0);
    const sso = world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId);
    const bindings = new CardBindings(state.records);
    const click = (id: string, extra: Record<string, unknown> = {}) => ({
      ...invoke(world, admin, 'adaptiveCard/action', {
        action: {
          type: 'Action.Execute',
          verb: 'governance.act',
          data: pressedData({ operation: 'cancelRoleRequest', ids: { requestId: id } }),
        },
        trigger: 'manual',
        ...extra,
      }),
      replyToId: `card-${id}`,
    });
    // The notification delivery records which item each posted card shows; these cards are
    // recorded the same way, in the shared container, so a click on either instance is bound.
    const post_ = async (id: string): Promise<void> => {
      const conversationId = String((click(id).conversation as { id: string }).id);
      await bindings.bind(conversationId, `card-${id}`, [{ operation: 'cancelRoleRequest', ids: { requestId: id } }]);
    };
    const signInCard = '00000000-0000-0000-0000-0000000000bb';
    await post_(signInCard);
    for (const id of [
      '95c690fb-3eb3-4942-a03f-4524aed6f31e',
      '95c690fb-3eb3-4942-a03f-4524aed6f31f',
      '95c690fb-3eb3-4942-a03f-4524aed6f320',
    ]) {
      // Signed in for each item: the bots are started afresh after each (below) and hold no token.
      for (const b of bots) {
        const r = await post(
          world,
          b,
          click(signInCard, { authentication: { id: 'x', connectionName: '', token: sso } }),
        );
        assert.equal(r.status, 200);
      }
      await post_(id);
      world.tenant.clearLog();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => post(world, bots[i % 2]!, click(id))));
      assert.ok(results.every((r) => r.status === 200));
      assert.equal(world.tenant.graphRequests().filter((r) => r.method === 'POST').length, 1, id);
      const odd = results.filter((r) => !r.body.includes('Cancelled by Megan Bowen'));
      assert.deepEqual(
        odd.map((r) => r.body.slice(0, 600)),
        [],
        'every clicker sees the final card',
      );
      // Not as the answers arrive: once both bots have stopped as production stops them, having
      // finished every turn and the work it started (BotProcess.drain), no second write can follow.
      await Promise.all(bots.map((b) => b.drain()));
      bots = [await startBot(world, env), await startBot(world, env)];
      assert.equal(
        world.tenant.graphRequests().filter((r) => r.method === 'POST').length,
        1,
        `${id}: still one write once both bots have finished all they were doing`,
      );
    }
  });
});
