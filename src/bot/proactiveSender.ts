// Proactive sends: a notification or alert card posted as a new message (or a new thread in a
// channel) outside any turn, with the send's own error carried out to the caller.

import { ConversationReference, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { SendCard } from '../notifications/delivery';
import { GovernanceAdapter } from './adapter';

/** Sends a notification card as a new message through the connector, outside any turn. The send
 * runs inside continueConversationAsync for its connector client (the bot's token for this
 * service URL), but its error is carried out of the continuation: thrown inside, the adapter's
 * turn-error handler would swallow it and a refused card would look delivered. */
export function proactiveSender(adapter: GovernanceAdapter, appId: string): SendCard {
  return async (reference, card, signal) => {
    let failure: { error: unknown } | null = null;
    let id: string | undefined;
    const ref = reference as Partial<ConversationReference>;
    await adapter.continueConversationAsync(appId, ref, async (ctx) => {
      try {
        // A proactive client: it sends once, with no retry of its own (connectorRetry.ts), so the
        // worker sees every 429, 5xx and network failure and is the one to try again.
        const client = ctx.turnState.get<ConnectorClient>(adapter.ConnectorClientKey);
        // A new message of its own (or a new thread in a channel), never a reply to the
        // continuation activity.
        const out = TurnContext.applyConversationReference(
          { type: 'message', attachments: [card.attachment], summary: card.summary },
          ref,
        );
        delete out.replyToId;
        const conversationId = out.conversation?.id ?? '';
        const sent = await client.conversations.sendToConversation(conversationId, out, { abortSignal: signal });
        id = sent.id || undefined;
      } catch (e) {
        failure = { error: e };
      }
    });
    if (failure) throw (failure as { error: unknown }).error;
    return id;
  };
}
