// A message that carries pictures or files and no words. Teams sends a pasted picture as an image/*
// attachment beside the text/html copy of the message, the text holding its <img> or nothing
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/agents-inline-images), and
// a file as a file.download.info attachment
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/bots-filesv4). The bot
// reads typed commands only: such a message is not an empty one, and is told so.

import type { Activity } from 'botbuilder';
import { mentionsRemoved } from './botMentions';
import { normalizeText } from './normalizeText';

export const UNREAD_CONTENT = 'Governance Bot reads typed commands only: pictures and files are not read.';

/** Whether the message has no words but a picture or a file (the text/html copy of a message is
 * not one). */
export function onlyUnreadContent(activity: Partial<Activity>): boolean {
  // A picture or a file first, a look at the attachments: most messages have neither (their
  // text/html copy is not one), and so need not have their words read twice.
  // An emoji may come as an <img> of Skype's Emoji type: not a picture. Bounded, and stopping at a
  // "<", as normalizeText's tag rule: linear in the text.
  const picture = /<img\b(?![^<>]{0,2000}schema\.skype\.com\/Emoji)[^<>]{0,2000}>/i.test(activity.text ?? '');
  const attached = (activity.attachments ?? []).some(
    (a) => a.contentType !== 'text/html' && a.contentType !== 'text/plain',
  );
  if (!picture && !attached) return false;
  // The words without the bot's mention: in a channel, where Teams delivers a message only when the
  // bot is @mentioned, its mention and a picture are not the mention alone (`help`).
  const said = mentionsRemoved(activity);
  return normalizeText(said.text, said.botMentioned) === '';
}
