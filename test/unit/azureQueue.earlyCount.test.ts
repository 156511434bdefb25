// The Azure outbox counts attempts as the service's dequeue count less the surfacings that only put
// a not-yet-due item back (`early`, kept in the message's text). Queue Storage hides a message for
// at most 7 days ("visibilitytimeout … cannot be larger than 7 days",
// https://learn.microsoft.com/rest/api/storageservices/update-message), so a release further out
// rewrites the text with the due time: that text must keep the early count, or every earlier
// early surfacing counts as an attempt from then on (and attempts decide when an item is set
// aside). Azurite cannot wait 7 days: this runs the real AzureQueue over a stand-in QueueClient
// with a clock of its own, which, as the service does, gives a new pop receipt on every receive
// and update and refuses a visibility beyond 7 days.

import { QueueClient } from '@azure/storage-queue';
import { strict as assert } from 'node:assert';
import { AzureQueue } from '../../src/state/azureQueue';

const DAY = 24 * 60 * 60 * 1000;
const MAX_VISIBILITY_SECONDS = 7 * 24 * 60 * 60;

interface Stored {
  text: string;
  visibleAt: number;
  dequeueCount: number;
  popReceipt: string;
}

/** Queue Storage in memory on `now`: visibility, dequeue counts, pop receipts. */
function serviceOn(now: () => number) {
  let serial = 0;
  const messages = new Map<string, Stored>();
  const popLost = () =>
    Object.assign(new Error('PopReceiptMismatch'), { statusCode: 400, details: { errorCode: 'PopReceiptMismatch' } });
  const visibility = (seconds: number) => {
    if (seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) throw new Error(`visibility ${seconds} s is out of range`);
    return seconds * 1000;
  };
  const client = {
    sendMessage: async (text: string, options: { visibilityTimeout?: number }) => {
      const at = now() + visibility(options.visibilityTimeout ?? 0);
      messages.set(`m${++serial}`, { text, visibleAt: at, dequeueCount: 0, popReceipt: `p${++serial}` });
      return {};
    },
    receiveMessages: async (options: { visibilityTimeout: number }) => {
      for (const [messageId, m] of messages) {
        if (m.visibleAt > now()) continue;
        m.dequeueCount++;
        m.popReceipt = `p${++serial}`;
        m.visibleAt = now() + visibility(options.visibilityTimeout);
        const item = { messageId, popReceipt: m.popReceipt, messageText: m.text, dequeueCount: m.dequeueCount };
        return { receivedMessageItems: [item] };
      }
      return { receivedMessageItems: [] };
    },
    updateMessage: async (messageId: string, popReceipt: string, text: string | undefined, seconds: number) => {
      const m = messages.get(messageId);
      if (!m || m.popReceipt !== popReceipt) throw popLost();
      m.visibleAt = now() + visibility(seconds);
      if (text !== undefined) m.text = text;
      m.popReceipt = `p${++serial}`;
      return { popReceipt: m.popReceipt };
    },
    deleteMessage: async (messageId: string, popReceipt: string) => {
      const m = messages.get(messageId);
      if (!m || m.popReceipt !== popReceipt) throw popLost();
      messages.delete(messageId);
      return {};
    },
  };
  return { client: client as unknown as QueueClient, messages };
}

function outboxOn(client: QueueClient, now: () => number) {
  return new AzureQueue<{ eventId: string }>(client, {
    timeoutMs: 1_000,
    now,
    ready: async () => undefined,
    queueLost: () => undefined,
    isPayload: (p): p is { eventId: string } => typeof (p as { eventId?: unknown } | null)?.eventId === 'string',
    setAside: async () => undefined,
  });
}

/** An item enqueued 8 days ahead that surfaced a day early (put back), then was leased when due. */
async function leasedAfterOneEarly() {
  const at = { clock: Date.UTC(2026, 0, 1) };
  const now = () => at.clock;
  const { client, messages } = serviceOn(now);
  const outbox = outboxOn(client, now);
  await outbox.enqueue('e1', { eventId: 'e1' }, at.clock + 8 * DAY);
  at.clock += 7 * DAY + 1_000;
  assert.equal(await outbox.lease(60_000), null, 'surfaced a day early: put back');
  at.clock += DAY;
  const first = (await outbox.lease(60_000))!;
  return { at, messages, outbox, first };
}

describe('Azure outbox: an item released beyond 7 days', () => {
  it('keeps its early surfacings out of its attempts, across an extended lease', async () => {
    const { at, messages, outbox, first } = await leasedAfterOneEarly();
    assert.equal(first.attempts, 1, 'the first lease');
    // The worker holds it a while, then waits for a due time far out (as fanoutWorker does).
    const extended = (await outbox.extend(first, 60_000))!;
    assert.equal(await outbox.release(extended, 15 * DAY), true);
    assert.equal(
      JSON.parse([...messages.values()][0]!.text).early,
      1,
      'the rewritten text keeps the early surfacing it counted',
    );
    for (let week = 0; week < 2; week++) {
      at.clock += 7 * DAY + 1_000;
      assert.equal(await outbox.lease(60_000), null, `surfaced early in week ${week + 1}: put back`);
    }
    at.clock += DAY;
    const second = (await outbox.lease(60_000))!;
    assert.equal(second.attempts, 2, 'the second lease: three early surfacings are no attempts');
    assert.equal(await outbox.complete(second), true);
    assert.equal(messages.size, 0);
  });

  it('leaves the text as it is for a release within 7 days', async () => {
    const { at, messages, outbox, first } = await leasedAfterOneEarly();
    const text = [...messages.values()][0]!.text;
    assert.equal(await outbox.release(first, 60_000), true);
    assert.equal([...messages.values()][0]!.text, text);
    at.clock += 61_000;
    assert.equal((await outbox.lease(60_000))!.attempts, 2);
  });

  it('refuses a receipt it did not write, and a void one after an extend', async () => {
    const now = () => Date.UTC(2026, 0, 1);
    const { client } = serviceOn(now);
    const outbox = outboxOn(client, now);
    await outbox.enqueue('e1', { eventId: 'e1' });
    const held = (await outbox.lease(60_000))!;
    assert.equal(await outbox.complete({ ...held, receipt: 'no-space' }), false);
    assert.equal(await outbox.complete({ ...held, receipt: `${held.copy} x p1` }), false);
    const renewed = (await outbox.extend(held, 60_000))!;
    assert.equal(await outbox.complete(held), false, 'the old pop receipt is void');
    assert.equal(await outbox.complete(renewed), true);
  });
});
