// The outbox on Azure Queue Storage. A lease is the message's visibility timeout: a received
// message is invisible to every other instance until it runs out, and the pop receipt proves the
// lease (each update gives a new one; the old one stops working). Attempts are the service's
// dequeue count. Limits of the service, and how they are met:
// - visibility is whole seconds, at most 7 days: leases and delays round up to a second, and an
//   item due later than 7 days carries its due time and is put back when it surfaces early (the
//   text counts those surfacings, which are no attempts; a lease carries the count in its receipt,
//   so a release that rewrites the text keeps it);
// - messages expire after 7 days by default: the outbox sends them with a time-to-live of -1
//   (never), so an undelivered notification is never silently dropped
//   (https://learn.microsoft.com/rest/api/storageservices/put-message);
// - there is no de-duplication by id: enqueueing an id twice queues it twice (the port allows it).

import { QueueClient } from '@azure/storage-queue';
import { CallContext, Expected, codeOf, isQueueCode, storageCall } from './azureCall';
import { Lease, WorkQueue } from './port';

const MAX_VISIBILITY_SECONDS = 7 * 24 * 60 * 60;

export interface AzureQueueContext<T> extends CallContext {
  readonly now: () => number;
  /** Resolves once the queue exists. */
  readonly ready: () => Promise<void>;
  /** The queue is gone (or going): the next `ready()` must create it again. */
  readonly queueLost: () => void;
  /** Whether a message's payload is an item of this queue (one that enqueue could have written):
   * any other is set aside, since it would fail its worker on every lease, for good. */
  readonly isPayload: (payload: unknown) => payload is T;
  /** Keeps an unreadable message's text aside (a blob) and reports it; throws if it could not. */
  readonly setAside: (messageId: string, text: string) => Promise<void>;
}

/** What a message's text holds. */
interface Message<T> {
  readonly id: string;
  readonly payload: T;
  /** Due time (epoch ms) when it is beyond what one visibility timeout can hide. */
  readonly notBefore?: number;
  /** Receives that only put the message back because it was not due yet (not attempts). */
  readonly early?: number;
}

/** A lost lease: the receipt no longer matches (another instance re-leased it, or it is done):
 * 404 MessageNotFound or 400 PopReceiptMismatch,
 * https://learn.microsoft.com/rest/api/storageservices/queue-service-error-codes. Only by its
 * code: a 404 QueueNotFound (the queue was removed) is an outage, not another holder. */
const LEASE_LOST: ReadonlySet<string> = new Set(['MessageNotFound', 'PopReceiptMismatch']);
const leaseLost = <R>(value: R): Expected<R> => {
  return (e) => {
    const code = codeOf(e);
    return code !== undefined && LEASE_LOST.has(code) ? { value } : undefined;
  };
};

/** Whole seconds of visibility covering `ms` (never early), within what the service accepts. */
function seconds(ms: number, min: number): number {
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(min, Math.ceil(ms / 1000)));
}

export class AzureQueue<T> implements WorkQueue<T> {
  constructor(
    private readonly queue: QueueClient,
    private readonly context: AzureQueueContext<T>,
  ) {}

  async enqueue(id: string, payload: T, dueAt?: number): Promise<void> {
    await this.context.ready();
    const delayMs = dueAt === undefined ? 0 : dueAt - this.context.now();
    const visibilityTimeout = seconds(delayMs, 0);
    const message: Message<T> =
      delayMs > visibilityTimeout * 1000 ? { id, payload, notBefore: dueAt } : { id, payload };
    await this.call('enqueue', (abortSignal) =>
      this.queue.sendMessage(JSON.stringify(message), { abortSignal, visibilityTimeout, messageTimeToLive: -1 }),
    );
  }

  async lease(leaseMs: number): Promise<Lease<T> | null> {
    await this.context.ready();
    const visibilityTimeout = seconds(leaseMs, 1);
    // A few rounds: a received message may turn out unreadable or not yet due.
    for (let round = 0; round < 8; round++) {
      const received = await this.call('lease', (abortSignal) =>
        this.queue.receiveMessages({ abortSignal, numberOfMessages: 1, visibilityTimeout }),
      );
      const item = received.receivedMessageItems[0];
      if (!item) return null;
      const message = parse(item.messageText, this.context.isPayload);
      if (!message) {
        await this.setAside(item.messageId, item.popReceipt, item.messageText);
        continue;
      }
      const early = message.early ?? 0;
      if (message.notBefore !== undefined && message.notBefore > this.context.now()) {
        await this.putBackEarly(item.messageId, item.popReceipt, { ...message, early: early + 1 });
        continue;
      }
      return {
        id: message.id,
        payload: message.payload,
        attempts: Math.max(1, item.dequeueCount - early),
        receipt: receiptOf({ messageId: item.messageId, popReceipt: item.popReceipt, early }),
        copy: item.messageId,
      };
    }
    return null;
  }

  async extend(lease: Lease<T>, leaseMs: number): Promise<Lease<T> | null> {
    const held = fromReceipt(lease.receipt);
    if (!held) return null;
    const popReceipt = await this.call(
      'extend',
      async (abortSignal) => {
        const updated = await this.queue.updateMessage(
          held.messageId,
          held.popReceipt,
          undefined,
          seconds(leaseMs, 1),
          {
            abortSignal,
          },
        );
        return updated.popReceipt ?? null;
      },
      leaseLost(null),
    );
    // The old receipt is void now: the renewed lease must carry the new one.
    return popReceipt === null ? null : { ...lease, receipt: receiptOf({ ...held, popReceipt }) };
  }

  async complete(lease: Lease<T>): Promise<boolean> {
    const held = fromReceipt(lease.receipt);
    if (!held) return false;
    return this.call(
      'complete',
      async (abortSignal) => {
        await this.queue.deleteMessage(held.messageId, held.popReceipt, { abortSignal });
        return true;
      },
      leaseLost(false),
    );
  }

  async release(lease: Lease<T>, delayMs: number): Promise<boolean> {
    const held = fromReceipt(lease.receipt);
    if (!held) return false;
    const visibilityTimeout = seconds(delayMs, 0);
    // Beyond 7 days the due time travels in the text; otherwise the text stays as it is. A new text
    // keeps the early surfacings the old one counted: dropped, each would count as an attempt
    // (towards setting the item aside) once the item is leased again.
    const message: Message<T> = { id: lease.id, payload: lease.payload, notBefore: this.context.now() + delayMs };
    const text =
      delayMs > visibilityTimeout * 1000
        ? JSON.stringify(held.early !== 0 ? { ...message, early: held.early } : message)
        : undefined;
    return this.call(
      'release',
      async (abortSignal) => {
        await this.queue.updateMessage(held.messageId, held.popReceipt, text, visibilityTimeout, { abortSignal });
        return true;
      },
      leaseLost(false),
    );
  }

  async size(): Promise<number> {
    await this.context.ready();
    const properties = await this.call('size', (abortSignal) => this.queue.getProperties({ abortSignal }));
    return properties.approximateMessagesCount ?? 0;
  }

  /** One storage call (see storageCall) that also forgets the queue when the service says it is
   * gone: the next call creates it again instead of failing until a restart. */
  private call<R>(what: string, work: (abortSignal: AbortSignal) => Promise<R>, expected?: Expected<R>): Promise<R> {
    return storageCall(this.context, what, work, (e) => {
      const value = expected?.(e);
      if (!value && isQueueCode(e)) this.context.queueLost();
      return value;
    });
  }

  private async putBackEarly(messageId: string, popReceipt: string, message: Message<T>): Promise<void> {
    const remaining = (message.notBefore ?? 0) - this.context.now();
    await this.call(
      'lease',
      (abortSignal) =>
        this.queue.updateMessage(messageId, popReceipt, JSON.stringify(message), seconds(remaining, 1), {
          abortSignal,
        }),
      leaseLost(undefined),
    );
  }

  /** An unreadable message would fail every lease forever: keep its text aside, then drop it.
   * If it cannot be kept, it stays queued (hidden for this lease) rather than being lost. */
  private async setAside(messageId: string, popReceipt: string, text: string): Promise<void> {
    try {
      await this.context.setAside(messageId, text);
    } catch {
      return;
    }
    await this.call(
      'quarantine',
      (abortSignal) => this.queue.deleteMessage(messageId, popReceipt, { abortSignal }),
      leaseLost(undefined),
    );
  }
}

/** The message a text holds, or null when it is not one this queue wrote: not JSON, no string
 * id, a payload that is not an item, or a due time or early count that is not a number. */
function parse<T>(text: string, isPayload: (payload: unknown) => payload is T): Message<T> | null {
  try {
    const message = JSON.parse(text) as Partial<Record<keyof Message<T>, unknown>> | null;
    if (!message || typeof message !== 'object' || typeof message.id !== 'string') return null;
    if (!isPayload(message.payload)) return null;
    if (!optionalNumber(message.notBefore) || !optionalNumber(message.early)) return null;
    return message as Message<T>;
  } catch {
    return null;
  }
}

function optionalNumber(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value));
}

/** What a lease holds: the message, its pop receipt, and how many of its surfacings were early
 * (read from its text as leased: what release must write back if it replaces the text). */
interface Held {
  readonly messageId: string;
  readonly popReceipt: string;
  readonly early: number;
}

// A receipt is `messageId early popReceipt`: message ids are GUIDs and the count a number as
// JavaScript writes it (neither has a space), so the first two spaces separate them.
function receiptOf(held: Held): string {
  return `${held.messageId} ${held.early} ${held.popReceipt}`;
}

function fromReceipt(receipt: string): Held | null {
  const first = receipt.indexOf(' ');
  const second = receipt.indexOf(' ', first + 1);
  if (first <= 0 || second < 0 || second === receipt.length - 1) return null;
  const early = Number(receipt.slice(first + 1, second));
  if (!Number.isFinite(early)) return null;
  return { messageId: receipt.slice(0, first), early, popReceipt: receipt.slice(second + 1) };
}
