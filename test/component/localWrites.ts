// What the gateway's transport tests share: a write to send, a token Graph never reads, a local
// listener's port, and the two ways a write can fail (never sent, or its outcome unknown).

import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { NotSentError, UpstreamError } from '../../src/domain/errors';
import { Target } from '../../src/domain/operations';

export const target: Target = {
  operation: 'cancelRoleRequest',
  ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' },
};
export const token = (): Promise<string> => Promise.resolve('not-a-jwt');

/** Starts `server` on a free loopback port and gives the port. */
export async function listening(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

/** The error `p` fails with; a success fails the test. */
export const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );

/** A write that reached Graph (or may have) and lost its answer. */
export function unknownOutcome(e: unknown): void {
  assert.ok(e instanceof UpstreamError && !(e instanceof NotSentError), String(e));
  assert.match((e as Error).message, /may or may not have taken effect/);
}

/** A write that never left the bot. */
export function notSent(e: unknown): void {
  assert.ok(e instanceof NotSentError, String(e));
  assert.doesNotMatch((e as Error).message, /may or may not/);
  assert.match((e as Error).message, /nothing was sent/i);
}
