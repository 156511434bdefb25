// A message that carries pictures or files and no words. Teams sends a pasted picture as an image/*
// attachment beside the text/html copy of the message, the text holding its <img> or nothing
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/agents-inline-images), and
// a file as a file.download.info attachment
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/bots-filesv4). A card sent
// or forwarded to the bot comes as an attachment of the card's content type
// (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-reference).
// The bot reads typed commands only: such a message is not an empty one, and is told what it held.

import type { Activity } from 'botbuilder';
import { mentionsRemoved } from './botMentions';
import { normalizeText } from './normalizeText';

export const UNREAD_CONTENT = 'Governance Bot reads typed commands only: pictures and files are not read.';
const UNREAD_CARDS = 'Governance Bot reads typed commands only: cards are not read.';
const UNREAD_BOTH = 'Governance Bot reads typed commands only: pictures, files and cards are not read.';

/** A card's content type (Adaptive, hero, thumbnail, ... and Teams' own card types). */
function isCard(contentType: string | undefined): boolean {
  return (
    contentType?.startsWith('application/vnd.microsoft.card.') === true ||
    contentType?.startsWith('application/vnd.microsoft.teams.card.') === true
  );
}

/** What the bot says of a message with no words but pictures, files or cards (the text/html copy
 * of a message is not one); null for any other. */
export function unreadContentProblem(activity: Partial<Activity>): string | null {
  // A picture or a file first, a look at the attachments: most messages have neither (their
  // text/html copy is not one), and so need not have their words read twice.
  // An emoji may come as an <img> of Skype's Emoji type: not a picture. Bounded, and stopping at a
  // "<", as normalizeText's tag rule: linear in the text.
  const picture = /<img\b(?![^<>]{0,2000}schema\.skype\.com\/Emoji)[^<>]{0,2000}>/i.test(activity.text ?? '');
  const attached = (activity.attachments ?? []).filter(
    (a) => a.contentType !== 'text/html' && a.contentType !== 'text/plain',
  );
  if (!picture && attached.length === 0) return null;
  // The words without the bot's mention: in a channel, where Teams delivers a message only when the
  // bot is @mentioned, its mention and a picture are not the mention alone (`help`).
  const said = mentionsRemoved(activity);
  if (normalizeText(said.text, said.botMentioned) !== '') return null;
  const cards = attached.some((a) => isCard(a.contentType));
  const others = picture || attached.some((a) => !isCard(a.contentType));
  return cards ? (others ? UNREAD_BOTH : UNREAD_CARDS) : UNREAD_CONTENT;
}
