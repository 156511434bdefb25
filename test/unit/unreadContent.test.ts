// A message with a picture and no words is told the bot reads typed commands only (unreadContent.ts);
// a picture beside words is the words' message. In a channel Teams delivers a message to the bot only
// when it is @mentioned, the mention as `<at>name</at>` in the text with a `mention` entity
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations),
// and a pasted picture as an <img> in the text beside an image/* attachment
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/agents-inline-images).
// An Adaptive Card's Action.Submit comes as a message with a value and no text.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { unreadContentProblem } from '../../src/bot/unreadContent';

const BOT = { id: '28:bot-app-id', name: 'Governance Bot' };
const IMG = '<img alt="image" src="https://smba.trafficmanager.net/amer/v3/attachments/0-wus-d1/views/original">';
const PICTURE = { contentType: 'image/*', contentUrl: 'https://smba.trafficmanager.net/amer/v3/attachments/0-wus-d1' };

function unread(text: string | undefined, extra: Partial<Activity> = {}): boolean {
  const mentioned = text?.includes('<at>Governance Bot</at>') === true;
  const activity: Partial<Activity> = {
    type: 'message',
    ...(text === undefined ? {} : { text }),
    recipient: BOT,
    entities: mentioned ? [{ type: 'mention', mentioned: BOT, text: '<at>Governance Bot</at>' }] : [],
    ...extra,
  };
  return unreadContentProblem(activity) !== null;
}

describe('a message whose content the bot does not read', () => {
  it("in a channel, the bot's mention and a picture only: told", () => {
    const text = `<p><at>Governance Bot</at> ${IMG}</p>`;
    assert.equal(unread(text, { attachments: [PICTURE, { contentType: 'text/html', content: text }] }), true);
  });

  it("the bot's mention, a picture and a command: the command is read", () => {
    const text = `<p><at>Governance Bot</at> help ${IMG}</p>`;
    assert.equal(unread(text, { attachments: [PICTURE, { contentType: 'text/html', content: text }] }), false);
  });

  it("someone else's mention beside the picture is a word: not told (the command parser answers it)", () => {
    const text = `<p><at>Governance Bot</at> <at>Adele Vance</at> ${IMG}</p>`;
    assert.equal(unread(text, { attachments: [PICTURE] }), false);
  });

  it("an Action.Submit's message (a value, no text, no attachment) and the bot's mention alone: not told", () => {
    assert.equal(unread(undefined, { value: { verb: 'other' } }), false);
    assert.equal(unread('<at>Governance Bot</at>'), false);
  });
});
