// What of a Bot Framework conversation reference is kept for proactive sends, and under which key
// (references.ts decides when it is written). Only what a proactive send needs is kept, so a
// reference changes only when the conversation itself changes: a channel's reference has no
// sender, no message id, no locale, and a busy channel does not write on every sender. Group chats
// are not stored: no notification can target one.

/** The parts of a Bot Framework conversation reference a proactive send uses (a plain shape, so
 * nothing outside bot/ needs botbuilder's types). */
export interface StoredReference {
  readonly channelId?: string;
  readonly serviceUrl?: string;
  readonly conversation?: {
    readonly id: string;
    readonly tenantId?: string;
    readonly conversationType?: string;
    readonly isGroup?: boolean;
  };
  readonly bot?: { readonly id: string; readonly name?: string };
  /** A personal chat's user (the key is theirs, so this never varies by sender). */
  readonly user?: { readonly id: string; readonly name?: string; readonly aadObjectId?: string };
}

/** What `remember` accepts: botbuilder's ConversationReference fits (extra fields are dropped). */
export interface CapturedReference {
  readonly channelId?: string;
  readonly serviceUrl?: string;
  readonly conversation?: { readonly id?: string; readonly tenantId?: string; readonly conversationType?: string };
  readonly bot?: { readonly id?: string; readonly name?: string };
  readonly user?: { readonly id?: string; readonly name?: string; readonly aadObjectId?: string };
}

export const userKey = (aadObjectId: string): string => `ref:user:${aadObjectId.toLowerCase()}`;
export const channelKey = (channelId: string): string => `ref:channel:${channelId}`;
export const teamKey = (teamId: string): string => `ref:team:${teamId}`;

export function addressable(reference: unknown): reference is StoredReference {
  const id = (reference as StoredReference | null | undefined)?.conversation?.id;
  return typeof reference === 'object' && typeof id === 'string' && id !== '';
}

/** The key and the part of a reference worth storing, or null for what is never read. */
export function storedPart(
  reference: CapturedReference,
  aadObjectId: string | undefined,
  channelId: string | undefined,
): { key: string; reference: StoredReference } | null {
  const conversation = reference.conversation;
  if (!conversation?.id || !reference.serviceUrl) return null;
  const common = {
    ...(reference.channelId ? { channelId: reference.channelId } : {}),
    serviceUrl: reference.serviceUrl,
    ...(reference.bot?.id ? { bot: { id: reference.bot.id, ...nameOf(reference.bot) } } : {}),
  };
  const tenant = conversation.tenantId ? { tenantId: conversation.tenantId } : {};
  if (conversation.conversationType === 'personal' && aadObjectId) {
    const user = reference.user?.id
      ? { user: { id: reference.user.id, ...nameOf(reference.user), aadObjectId: aadObjectId.toLowerCase() } }
      : {};
    return {
      key: userKey(aadObjectId),
      reference: { ...common, conversation: { id: conversation.id, ...tenant, conversationType: 'personal' }, ...user },
    };
  }
  if (channelId) {
    // The channel itself, not the thread or message this turn came from: a notification starts
    // a new thread in the channel, and every sender and thread of the channel stores the same.
    return {
      key: channelKey(channelId),
      reference: { ...common, conversation: { id: channelId, ...tenant, conversationType: 'channel', isGroup: true } },
    };
  }
  // Group chats (and anything else) are never a notification target, so nothing is stored.
  return null;
}

function nameOf(who: { readonly name?: string }): { name?: string } {
  return who.name ? { name: who.name } : {};
}
