// The bot's own @mentions, taken out of a message before it is parsed as a command. Teams sends
// each mention as `<at>name</at>` in the text and a `mention` entity naming who was mentioned
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations).
// botbuilder's removeRecipientMention removes only the first of the bot's mentions, and changes the
// activity; here every one goes, and the activity stays as it came. Anyone else's mention stays in
// the text (commands.ts turns it into a word, so a command followed by it is refused). A message
// that is only the bot's mention asks for help.

import type { Activity } from 'botbuilder';
import { normalizeText } from './normalizeText';

export interface CommandText {
  readonly text: string;
  /** The activity named the bot in a mention entity (so a mention that opens the text without one
   * is someone else's). */
  readonly botMentioned: boolean;
}

export function withoutBotMentions(activity: Partial<Activity>): CommandText {
  const { text, botMentioned } = mentionsRemoved(activity);
  // Only the bot's mention, nothing typed after it: what a person who @mentions a bot expects is
  // what it does, so it is `help` (an empty message stays one).
  if (/<at>/i.test(activity.text ?? '') && normalizeText(text, botMentioned) === '')
    return { text: 'help', botMentioned };
  return { text, botMentioned };
}

/** The text with the bot's own mentions removed, as it came otherwise (a mention alone stays empty). */
export function mentionsRemoved(activity: Partial<Activity>): CommandText {
  let text = activity.text ?? '';
  const botId = activity.recipient?.id;
  let botMentioned = false;
  for (const entity of activity.entities ?? []) {
    const mention = entity as { type?: unknown; mentioned?: { id?: unknown }; text?: unknown };
    if (mention.type !== 'mention' || !botId || mention.mentioned?.id !== botId) continue;
    botMentioned = true;
    if (typeof mention.text === 'string' && mention.text !== '') text = text.split(mention.text).join(' ');
  }
  return { text, botMentioned };
}
