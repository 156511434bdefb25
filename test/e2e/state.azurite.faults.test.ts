// The Azure Storage state store when the service fails it, against Azurite on loopback or a port
// where it is not: unreachable, never answering, a connection string without a queue endpoint, a
// wrong account key. Each is a StateUnavailableError within the deadline that names no URL and
// carries no SDK error.

import { strict as assert } from 'node:assert';
import { AddressInfo, Socket, createServer } from 'node:net';
import { AzureState } from '../../src/state/azure';
import { StateUnavailableError } from '../../src/state/port';
import { azuriteSession } from '../fixtures/azuriteSession';
import { freePort } from '../fixtures/ports';

describe('Azure Storage state store on Azurite', function () {
  this.timeout(60_000);
  const session = azuriteSession();
  const { freshContainer } = session;

  it('an unreachable service gives StateUnavailableError within the deadline, naming no URL', async () => {
    const port = await freePort();
    const connectionString = session.connectionString.replace(/127\.0\.0\.1:\d+/g, `127.0.0.1:${port}`);
    const state = new AzureState({ connectionString, container: 'nowhere', timeoutMs: 2_000 });
    for (const attempt of [state.check(), state.records.get('k'), state.outbox.lease(1_000)]) {
      const error = await attempt.then(
        () => assert.fail('answered without a service'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof StateUnavailableError, String(error));
      assert.ok(!/127\.0\.0\.1|http|devstoreaccount1|nowhere/.test(error.message), error.message);
      assert.equal(error.cause, undefined, 'no SDK error (with its URL) travels along');
    }
  });

  it('a service that never answers gives StateUnavailableError at the deadline', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const connectionString = session.connectionString.replace(/127\.0\.0\.1:\d+/g, `127.0.0.1:${port}`);
      const state = new AzureState({ connectionString, container: 'hung', timeoutMs: 1_000 });
      const error = await state.records.get('k').then(
        () => assert.fail('answered without a service'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof StateUnavailableError, String(error));
      assert.match(error.message, /no answer in time/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a service that sends the head of its answer and then nothing gives "no answer in time" at the deadline', async () => {
    // The answer's status and headers come, its body stops half-way: the deadline cuts the read.
    // What failed is time, not a malformed answer.
    const sockets = new Set<Socket>();
    const stalling = createServer((socket) => {
      sockets.add(socket);
      socket.once('data', () =>
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 4096\r\nx-ms-version: 2025-01-05\r\n\r\n' +
            '<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Blobs><Blob><Name>',
        ),
      );
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    const { port } = stalling.address() as AddressInfo;
    try {
      const connectionString = session.connectionString.replace(/127\.0\.0\.1:\d+/g, `127.0.0.1:${port}`);
      const state = new AzureState({ connectionString, container: 'stalled', timeoutMs: 1_000 });
      for (const attempt of [state.check(), state.records.get('k'), state.outbox.lease(1_000)]) {
        const error = await attempt.then(
          () => assert.fail('answered with half an answer'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof StateUnavailableError, String(error));
        assert.match(error.message, /no answer in time/);
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });

  it('refuses a connection string with a blob endpoint and no queue endpoint', () => {
    const blobOnly = session.connectionString.replace(/QueueEndpoint=[^;]+;/, '');
    assert.throws(
      () => new AzureState({ connectionString: blobOnly, container: 'x-state' }),
      (e: unknown) => e instanceof StateUnavailableError && /no QueueEndpoint/.test(e.message),
    );
  });

  it('a wrong account key gives StateUnavailableError, not the SDK error', async () => {
    const connectionString = session.connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${'A'.repeat(88)}`);
    const state = new AzureState({ connectionString, container: freshContainer() });
    const error = await state.records.put('k', 1, 'none').then(
      () => assert.fail('wrote with a wrong key'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof StateUnavailableError);
    assert.match(error.message, /^state store: create (container|queue) failed \(403 \w+\)$/);
  });
});
