// Whether a conversation is read by its one user only (a personal chat with the bot), not by every
// member (a group chat or a channel: a bot's message there, and its buttons, are every member's).
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations
// A conversation that does not say it is personal counts as shared.

import type { PendingCommand } from './commandTurns';

export interface ConversationKind {
  readonly conversationType?: string;
  readonly isGroup?: boolean;
}

export function readByTheUserOnly(conversation: ConversationKind | undefined): boolean {
  return conversation?.conversationType === 'personal' && conversation.isGroup !== true;
}

/** Whether only the user who asked sees the Sign in card of this waiting command. */
export function signInSeenByTheUserOnly(pending: PendingCommand): boolean {
  return readByTheUserOnly(pending.reference.conversation);
}

/**
 * How a person asks for the help card in this conversation. In a group chat or a channel a message
 * reaches the bot only when it @mentions it, so "type help" alone would go to the other members:
 * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations
 */
export function askForHelp(conversation: ConversationKind | undefined): string {
  return readByTheUserOnly(conversation)
    ? 'Type "help" to see every command.'
    : '@mention Governance Bot and type "help" to see every command.';
}
