// One send with a deadline, shared by the delivery worker and the alert worker: a hung connector
// is a failed attempt (retried later), and shutdown ends a send under way.

import type { StoredReference } from '../state/references';
import { OutboundCard, SendCard } from './delivery';
import { SendTimeoutError } from './noAnswer';

/** Sends `card`; rejects when `timeoutMs` passes or `stop` aborts, even if `send` ignores its signal. */
export async function sendWithDeadline(
  send: SendCard,
  reference: StoredReference,
  card: OutboundCard,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<string | undefined> {
  // An abort listener added after the abort never runs: a handling that reaches its send once the
  // shutdown has given up on it (stop() no longer waits, the store is about to close) must not
  // post a card it could not record, which the next instance would post again.
  if (stop.aborted) throw stop.reason;
  const controller = new AbortController();
  const onStop = (): void => controller.abort(stop.reason);
  stop.addEventListener('abort', onStop);
  const timer = setTimeout(() => controller.abort(new SendTimeoutError()), timeoutMs);
  // The race also ends a send that ignores its signal.
  const aborted = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason)),
  );
  aborted.catch(() => undefined);
  try {
    return await Promise.race([send(reference, card, controller.signal), aborted]);
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  }
}
