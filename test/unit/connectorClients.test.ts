// One Bot Connector client per kind, app id, service URL and audience for the process (botbuilder
// builds one per turn): the same client comes back, another key gets its own (a proactive send
// never a turn's client: their retries differ), a failure is not kept.

import { strict as assert } from 'node:assert';
import { ConnectorClients } from '../../src/bot/connectorClients';

describe('connector clients', () => {
  const counting = () => {
    let made = 0;
    return { make: async () => ({ n: ++made }), made: () => made };
  };

  it('builds one client per app id, service URL and audience, then reuses it', async () => {
    const clients = new ConnectorClients<{ n: number }>();
    const { make, made } = counting();
    const a = await clients.get('proactive', 'app', 'https://smba.trafficmanager.net/amer/', 'aud', make);
    assert.equal(await clients.get('proactive', 'app', 'https://smba.trafficmanager.net/amer/', 'aud', make), a);
    assert.equal(made(), 1);
    await clients.get('proactive', 'app', 'https://smba.trafficmanager.net/emea/', 'aud', make);
    await clients.get('proactive', 'app', 'https://smba.trafficmanager.net/amer/', 'other', make);
    await clients.get('proactive', 'other-app', 'https://smba.trafficmanager.net/amer/', 'aud', make);
    await clients.get('proactive', undefined, 'https://smba.trafficmanager.net/amer/', undefined, make);
    assert.equal(made(), 5, 'each other service URL, audience and app id got its own client');
  });

  it('never gives a proactive send the client of a turn, nor the reverse', async () => {
    const clients = new ConnectorClients<{ n: number }>();
    const { make, made } = counting();
    const url = 'https://smba.trafficmanager.net/amer/';
    const proactive = await clients.get('proactive', 'app', url, 'aud', make);
    const turn = await clients.get('turn', 'app', url, 'aud', make);
    assert.notEqual(turn, proactive);
    assert.equal(await clients.get('proactive', 'app', url, 'aud', make), proactive);
    assert.equal(await clients.get('turn', 'app', url, 'aud', make), turn);
    assert.equal(made(), 2);
  });

  it('gives concurrent first callers the same client, built once', async () => {
    const clients = new ConnectorClients<{ n: number }>();
    const { make, made } = counting();
    const [a, b] = await Promise.all([
      clients.get('proactive', 'app', 'u', 'aud', make),
      clients.get('proactive', 'app', 'u', 'aud', make),
    ]);
    assert.equal(a, b);
    assert.equal(made(), 1);
  });

  it('does not keep a client that could not be built', async () => {
    const clients = new ConnectorClients<{ n: number }>();
    await assert.rejects(
      clients.get('proactive', 'app', 'u', 'aud', () => Promise.reject(new Error('Invalid Managed ID.'))),
      /Invalid/,
    );
    const { make, made } = counting();
    assert.deepEqual(await clients.get('proactive', 'app', 'u', 'aud', make), { n: 1 });
    assert.equal(made(), 1, 'the next call built it');
  });

  it('holds a bounded number of clients', async () => {
    const clients = new ConnectorClients<{ n: number }>(2);
    const { make, made } = counting();
    for (const url of ['a', 'b', 'c', 'a']) await clients.get('proactive', 'app', url, 'aud', make);
    assert.equal(made(), 4, 'the oldest was dropped and is built again');
  });
});
