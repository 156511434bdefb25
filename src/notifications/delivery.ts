// Delivers stored notifications as actionable cards: to a user's personal chat or as a new thread
// in a channel, through the conversation references captured earlier. Retries 429/412/502/504
// with backoff and jitter, honouring Retry-After, and keeps under the Teams per-conversation send
// limits (teams-platform.md §4). Whatever is queued at start-up is delivered then.

import type { Activity, ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import { Reply } from '../bot/governanceBot';
import { ConversationReferences, NotificationStore } from './store';
import { NotificationEvent } from './events';

export type SendActivity = (
  reference: Partial<ConversationReference>,
  activity: Partial<Activity>,
) => Promise<string | undefined>;

export interface DeliveryOptions {
  readonly store: NotificationStore;
  readonly references: ConversationReferences;
  readonly send: SendActivity;
  readonly render: (event: NotificationEvent) => Reply;
  readonly logger: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly maxAttempts?: number;
}

const RETRYABLE = new Set([412, 429, 502, 504]);

/** Sliding windows per conversation: 7 per second and 60 per 30 seconds (send limits per bot per thread). */
class ConversationPacer {
  private readonly sent = new Map<string, number[]>();
  async wait(conversationId: string, sleep: (ms: number) => Promise<void>): Promise<void> {
    for (;;) {
      const now = Date.now();
      const log = (this.sent.get(conversationId) ?? []).filter((t) => now - t < 30_000);
      const lastSecond = log.filter((t) => now - t < 1000);
      const wait = Math.max(
        lastSecond.length >= 7 ? 1000 - (now - lastSecond[0]!) : 0,
        log.length >= 60 ? 30_000 - (now - log[0]!) : 0,
      );
      if (wait <= 0) {
        log.push(now);
        this.sent.set(conversationId, log);
        return;
      }
      await sleep(wait);
    }
  }
}

function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

function retryAfterMs(e: unknown): number | null {
  const headers = (e as { response?: { headers?: { get?: (n: string) => string | undefined } } } | null)?.response
    ?.headers;
  const v = headers?.get?.('retry-after');
  if (!v) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n * 1000 : null;
}

export class Deliverer {
  private readonly pacer = new ConversationPacer();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: DeliveryOptions) {
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Starts delivery in the background (at most one per event in this process). */
  kick(eventId: string): void {
    if (this.inFlight.has(eventId)) return;
    const task = this.deliver(eventId)
      .catch((e: unknown) =>
        this.opts.logger.error({ err: e, event: 'notification.delivery.failed', eventId }, 'delivery failed'),
      )
      .finally(() => this.inFlight.delete(eventId));
    this.inFlight.set(eventId, task);
  }

  /** Delivers everything still queued (after a restart or a crash). */
  async recover(): Promise<number> {
    const ids = await this.opts.store.queued();
    for (const id of ids) this.kick(id);
    return ids.length;
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  async deliver(eventId: string): Promise<void> {
    const record = await this.opts.store.get(eventId);
    if (!record || record.state !== 'queued') return;
    const event = record.event;
    let reference: Partial<ConversationReference> | null;
    if ('userId' in event.target) {
      reference = await this.opts.references.forUser(event.target.userId);
      if (!reference) {
        await this.opts.store.update(eventId, {
          state: 'undeliverable',
          reason: 'The recipient has not installed Governance Bot in Teams, so the bot cannot start a chat with them.',
        });
        return;
      }
    } else {
      const channelId = event.target.channelId;
      const known = await this.opts.references.forChannel(channelId);
      if (!known) {
        await this.opts.store.update(eventId, {
          state: 'undeliverable',
          reason: 'Governance Bot is not installed in the team of this channel.',
        });
        return;
      }
      // A new thread in the channel: the channel's own conversation id, without a message id.
      reference = {
        ...known,
        conversation: { ...(known.conversation ?? {}), id: channelId } as ConversationReference['conversation'],
      };
    }
    // A notification is a new message, never a reply to whatever message captured the reference.
    reference = { ...reference };
    delete reference.activityId;
    const reply = this.opts.render(event);
    const conversationId = reference.conversation?.id ?? '';
    const max = this.opts.maxAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      await this.pacer.wait(conversationId, this.sleep);
      try {
        const activityId = await this.opts.send(reference, {
          type: 'message',
          attachments: [reply.attachment],
          summary: reply.summary,
        });
        await this.opts.store.update(eventId, {
          state: 'delivered',
          attempts: attempt,
          conversationId,
          ...(activityId ? { activityId } : {}),
        });
        this.opts.logger.info(
          { event: 'notification.delivered', eventId, activityId, attempt },
          'notification delivered',
        );
        return;
      } catch (e) {
        const status = statusOf(e);
        if ((status !== undefined && !RETRYABLE.has(status)) || attempt >= max) {
          await this.opts.store.update(eventId, {
            state: 'undeliverable',
            attempts: attempt,
            reason:
              status === 403 || status === 404
                ? 'Teams refused the conversation: the app may have been removed.'
                : `Teams did not accept the card (${status ?? 'no answer'}).`,
          });
          return;
        }
        const backoff = Math.min(30_000, 500 * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
        await this.sleep(Math.max(retryAfterMs(e) ?? 0, backoff));
      }
    }
  }
}
