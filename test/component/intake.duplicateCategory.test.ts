// An event sent to a category, posted again: the duplicate's 202 tells the same `state` as GET
// /api/notifications/{eventId} (README): its channels' combined state once it was handed to them.
// The event's own record stays `queued` once published (store.published() settles nothing: the
// channels report it), and the duplicate answered that record's state before, so a sender who
// re-sent an event already in every channel was told `queued` while GET said `delivered`.

import { strict as assert } from 'node:assert';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import * as restify from 'restify';
import { createLogger } from '../../src/log';
import { ChannelStatus } from '../../src/notifications/fanoutStatus';
import { mountNotifications } from '../../src/notifications/routes';
import { MemoryStore, request } from '../fixtures/intakeEdge';

const CATEGORY_EVENT = JSON.stringify({
  eventId: 'cat-1',
  kind: 'roleRequest',
  target: { category: 'roleRequests' },
  requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
});

describe('notification intake: a category event posted again', () => {
  let server: restify.Server;
  let base = '';
  /** The event's channels as the fan-out reports them; null while it was not handed to them. */
  let channels: ChannelStatus[] | null = null;
  let store: MemoryStore;
  /** The channels' read fails (the state store out for a moment). */
  let channelsFail = false;

  beforeEach(async () => {
    channels = null;
    channelsFail = false;
    store = new MemoryStore();
    server = restify.createServer({ handleUncaughtExceptions: false });
    mountNotifications(server, {
      auth: { check: async () => ({ ok: true, claims: {} }) },
      store,
      deliverer: { kick: () => undefined },
      logger: createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
      channels: async (id) => {
        if (channelsFail) throw new Error('store unavailable');
        return id === 'cat-1' ? channels : null;
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const post = async () => JSON.parse((await request(`${base}/api/notifications`, 'POST', CATEGORY_EVENT)).text);
  const get = async () => JSON.parse((await request(`${base}/api/notifications/cat-1`, 'GET', null)).text);
  const channel = (channelId: string, state: string): ChannelStatus => ({
    teamId: '19:team@thread.tacv2',
    channelId,
    state,
    attempts: state === 'delivered' ? 1 : 0,
    ...(state === 'delivered' ? { activityId: `activity-${channelId}` } : {}),
  });

  it("answers the state GET reports, from the event's channels", async () => {
    const first = await post();
    assert.equal(first.accepted, 'new');
    assert.equal(first.state, 'queued');
    // Not handed to its channels yet: the event's own record speaks, for both.
    let duplicate = await post();
    assert.equal(duplicate.accepted, 'duplicate');
    assert.equal(duplicate.state, 'queued');
    assert.equal((await get()).state, 'queued');
    // Every channel has the card; the record itself stays queued (published, not settled).
    channels = [channel('19:a@thread.tacv2', 'delivered'), channel('19:b@thread.tacv2', 'delivered')];
    assert.equal(store.records.get('cat-1')?.state, 'queued');
    duplicate = await post();
    assert.equal((await get()).state, 'delivered');
    assert.equal(duplicate.state, 'delivered');
    // One channel dead-lettered: partial, in both answers.
    channels = [channel('19:a@thread.tacv2', 'delivered'), channel('19:b@thread.tacv2', 'deadLetter')];
    assert.equal((await post()).state, 'partial');
    assert.equal((await get()).state, 'partial');
  });

  // README, GET: a category event is `undeliverable` "when none has it (or no channel is
  // subscribed)". A sender told only that, with `channels: []`, does not learn what to change.
  it('says why a category event no channel follows is undeliverable, and how a channel takes it', async () => {
    await post();
    channels = [];
    const status = await get();
    assert.equal(status.state, 'undeliverable');
    assert.deepEqual(status.channels, []);
    assert.equal(
      status.reason,
      'No channel follows the category roleRequests, so no card was posted: a team owner turns it on in a ' +
        'channel of a team Governance Bot is in (alerts on roleRequests). This event is not sent again; send ' +
        'it under a new eventId once a channel follows the category.',
    );
    // A channel that could not take it has its own reason; the event gets none of its own.
    channels = [channel('19:a@thread.tacv2', 'deadLetter')];
    assert.equal((await get()).reason, undefined);
  });

  it("leaves the state out of the duplicate's answer when the channels cannot be read, as when the record cannot", async () => {
    await post();
    channelsFail = true;
    const duplicate = await post();
    assert.equal(duplicate.accepted, 'duplicate');
    assert.equal(duplicate.state, undefined);
  });

  it('leaves the state out when the record is gone by the time it is read, as GET answers 404', async () => {
    await post();
    // The record's retention ends between the duplicate's accept and its status read.
    const accept = store.accept.bind(store);
    store.accept = async (e) => {
      const outcome = await accept(e);
      store.records.delete(e.eventId);
      return outcome;
    };
    const duplicate = await post();
    assert.equal(duplicate.accepted, 'duplicate');
    assert.equal(duplicate.state, undefined, JSON.stringify(duplicate));
    assert.equal((await request(`${base}/api/notifications/cat-1`, 'GET', null)).status, 404);
  });
});
