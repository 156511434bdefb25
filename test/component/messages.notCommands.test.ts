// Messages that hold no typed words and are not pictures or files: a card sent or forwarded to the
// bot, and an Action.Submit whose data the bot does not know. Each is told what happened and what
// to do, never "The message was empty." nor that pictures and files are not read.
// A card in a message comes as an attachment of its content type
// (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-reference);
// an Action.Submit comes as a message whose `value` holds the button's data and no text
// (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-actions#adaptive-cards-actions).

import { strict as assert } from 'node:assert';
import { Rig, cardsOf } from './botRig';
import { rigPerTest } from './rigPerTest';

const CARD = {
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Quarterly review' }] },
};

describe('a message that holds no typed command', () => {
  let rig: Rig;
  rigPerTest((r) => (rig = r));

  it('a card sent or forwarded to the bot: cards are not read, not "pictures and files"', async () => {
    const { sent } = await rig.message(rig.user(0), undefined as never, { attachments: [CARD] });
    const card = cardsOf(sent);
    assert.match(card, /cards are not read/);
    assert.doesNotMatch(card, /pictures and files/);
    assert.doesNotMatch(card, /The message was empty/);
    assert.match(card, /Type \\"help\\" to see every command/);
    assert.equal(rig.writes().length, 0);
  });

  it('a hero card with its text/html copy, and a card beside a picture, name what was not read', async () => {
    const hero = { contentType: 'application/vnd.microsoft.card.hero', content: { title: 'x' } };
    const alone = cardsOf(
      (await rig.message(rig.user(0), '', { attachments: [hero, { contentType: 'text/html', content: '' }] })).sent,
    );
    assert.match(alone, /cards are not read/);
    const both = cardsOf(
      (
        await rig.message(rig.user(0), '', {
          attachments: [CARD, { contentType: 'image/*', contentUrl: 'https://smba.trafficmanager.net/x' }],
        })
      ).sent,
    );
    assert.match(both, /pictures, files and cards are not read/);
  });

  it('an Action.Submit whose data the bot does not know: that button is not one it knows, not "empty"', async () => {
    const { sent } = await rig.message(rig.user(0), undefined as never, { value: { action: 'vote', choice: 2 } });
    assert.equal(sent.length, 1);
    const card = cardsOf(sent);
    assert.doesNotMatch(card, /The message was empty/);
    assert.match(card, /not one Governance Bot knows/);
    assert.match(card, /Nothing was done/);
    assert.match(card, /Type \\"help\\" to see every command/);
    assert.match(String(sent[0]?.summary), /not one Governance Bot knows/);
    assert.equal(rig.writes().length, 0);
  });

  it('an empty message with no value is still empty', async () => {
    const { sent } = await rig.message(rig.user(0), '');
    assert.match(cardsOf(sent), /The message was empty/);
  });
});
