// Durable notification records and conversation references, on the same storage as the claims.
// An event is stored before the intake answers 202, so a crash or restart never loses it.

import type { ConversationReference } from 'botbuilder';
import { ConditionalStorage } from '../storage/fileStorage';
import { NotificationEvent } from './events';

export type DeliveryState = 'queued' | 'delivered' | 'undeliverable';

export interface EventRecord {
  readonly event: NotificationEvent;
  readonly state: DeliveryState;
  readonly acceptedAt: string;
  readonly attempts: number;
  readonly activityId?: string;
  readonly conversationId?: string;
  readonly reason?: string;
}

const OUTBOX = 'outbox';

export class NotificationStore {
  constructor(private readonly storage: ConditionalStorage) {}

  /** Idempotent: the same eventId twice is stored once. The outbox entry goes first, so a crash
   * between the two writes leaves at worst an outbox id without an event, which is skipped. */
  async accept(event: NotificationEvent, now: Date = new Date()): Promise<'created' | 'duplicate'> {
    if (await this.get(event.eventId)) return 'duplicate';
    await this.mutateOutbox((ids) => (ids.includes(event.eventId) ? ids : [...ids, event.eventId]));
    const record: EventRecord = { event, state: 'queued', acceptedAt: now.toISOString(), attempts: 0 };
    return (await this.storage.create(`event:${event.eventId}`, { ...record })) ? 'created' : 'duplicate';
  }

  async get(eventId: string): Promise<EventRecord | null> {
    const k = `event:${eventId}`;
    const item = (await this.storage.read([k]))[k] as (EventRecord & { eTag?: string }) | undefined;
    if (!item) return null;
    const { eTag: _e, ...rec } = item;
    return rec;
  }

  async update(eventId: string, patch: Partial<Omit<EventRecord, 'event'>>): Promise<void> {
    const k = `event:${eventId}`;
    for (let i = 0; i < 10; i++) {
      const item = (await this.storage.read([k]))[k] as (EventRecord & { eTag?: string }) | undefined;
      if (!item) return;
      try {
        await this.storage.write({ [k]: { ...item, ...patch } });
        break;
      } catch {
        // Another instance updated it; read again.
      }
    }
    if (patch.state && patch.state !== 'queued') await this.mutateOutbox((ids) => ids.filter((x) => x !== eventId));
  }

  async queued(): Promise<string[]> {
    const item = (await this.storage.read([OUTBOX]))[OUTBOX] as { ids?: string[] } | undefined;
    return item?.ids ?? [];
  }

  private async mutateOutbox(change: (ids: string[]) => string[]): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const item = (await this.storage.read([OUTBOX]))[OUTBOX] as { ids?: string[]; eTag?: string } | undefined;
      if (!item) {
        if (await this.storage.create(OUTBOX, { ids: change([]) })) return;
        continue;
      }
      try {
        await this.storage.write({ [OUTBOX]: { ids: change(item.ids ?? []), eTag: item.eTag } });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, Math.random() * 10));
      }
    }
    throw new Error('The outbox could not be updated.');
  }
}

/** Where the bot can reach people and channels later: captured on install and on every message. */
export class ConversationReferences {
  private readonly seen = new Map<string, string>();
  constructor(private readonly storage: ConditionalStorage) {}

  keysFor(
    reference: Partial<ConversationReference>,
    aadObjectId: string | undefined,
    channelId: string | undefined,
  ): string[] {
    const type = (reference.conversation as { conversationType?: string } | undefined)?.conversationType;
    if (type === 'personal' && aadObjectId) return [`ref:user:${aadObjectId.toLowerCase()}`];
    if (channelId) return [`ref:channel:${channelId}`];
    return reference.conversation?.id ? [`ref:conversation:${reference.conversation.id}`] : [];
  }

  async remember(
    reference: Partial<ConversationReference>,
    aadObjectId: string | undefined,
    channelId: string | undefined,
    teamId?: string,
  ): Promise<void> {
    const keys = this.keysFor(reference, aadObjectId, channelId);
    // The message id changes with every message and is never needed to reach the conversation:
    // leaving it out means storage is written only when the conversation itself changed.
    const { activityId: _id, ...stable } = reference;
    reference = stable;
    const value = JSON.stringify(reference);
    for (const key of keys) {
      // Every message refreshes the reference, but storage is written only when it changed.
      if (this.seen.get(key) === value) continue;
      await this.storage.write({ [key]: { reference, eTag: '*' } });
      this.seen.set(key, value);
      if (teamId && channelId) await this.addToTeam(teamId, channelId);
    }
  }

  /** Which channel references belong to a team, so removing the app from the team forgets them all. */
  private async addToTeam(teamId: string, channelId: string): Promise<void> {
    const k = `ref:team:${teamId}`;
    for (let i = 0; i < 20; i++) {
      const item = (await this.storage.read([k]))[k] as { channels?: string[]; eTag?: string } | undefined;
      if (!item) {
        if (await this.storage.create(k, { channels: [channelId] })) return;
        continue;
      }
      if (item.channels?.includes(channelId)) return;
      try {
        await this.storage.write({ [k]: { channels: [...(item.channels ?? []), channelId], eTag: item.eTag } });
        return;
      } catch {
        // Another instance changed the list: read it again.
      }
    }
  }

  async forget(
    reference: Partial<ConversationReference>,
    aadObjectId: string | undefined,
    channelId: string | undefined,
    teamId?: string,
  ): Promise<void> {
    const keys = this.keysFor(reference, aadObjectId, channelId);
    if (teamId) {
      const k = `ref:team:${teamId}`;
      const item = (await this.storage.read([k]))[k] as { channels?: string[] } | undefined;
      keys.push(...(item?.channels ?? []).map((c) => `ref:channel:${c}`), k);
    }
    for (const k of keys) this.seen.delete(k);
    await this.storage.delete(keys);
  }

  async forUser(aadObjectId: string): Promise<Partial<ConversationReference> | null> {
    return this.load(`ref:user:${aadObjectId.toLowerCase()}`);
  }

  async forChannel(channelId: string): Promise<Partial<ConversationReference> | null> {
    return this.load(`ref:channel:${channelId}`);
  }

  private async load(key: string): Promise<Partial<ConversationReference> | null> {
    const item = (await this.storage.read([key]))[key] as { reference?: Partial<ConversationReference> } | undefined;
    return item?.reference ?? null;
  }
}
