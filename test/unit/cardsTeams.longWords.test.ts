// A very long unbroken string from outside (a name of 300 letters, a pasted token) must not push a
// card wider than the screen. A TextBlock with wrap breaks inside a word, but a TextRun of a
// RichTextBlock, where outside text sits (cardsTeams.plainText), gets no such rule in the Adaptive
// Cards renderer (lib/card-elements.js sets wordWrap "break-word" on TextBlock only), so the card
// itself offers a break: an invisible zero-width space inside every run longer than 64 characters.
// Ids (GUIDs are 36 characters) and permission names (up to 52) stay whole, so they can still be copied into a command.
// https://learn.microsoft.com/en-us/adaptive-cards/schema-explorer/rich-text-block
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format

import { strict as assert } from 'node:assert';
import { itemCard } from '../../src/bot/replyCards';
import { plainTexts } from './cardsTeams.cardWalk';

const ID = '95c690fb-3eb3-4942-a03f-4524aed6f31e';

describe('cards in Teams: long unbroken text', () => {
  it('offers a line break inside a long unbroken run, invisibly, and keeps ids whole', () => {
    const long = 'A'.repeat(300);
    const reply = itemCard(
      { operation: 'cancelRoleRequest', ids: { requestId: ID } },
      { title: long, text: `Requested by ${long}.`, facts: [{ title: 'Subject', value: long }], settled: false },
    );
    const texts = plainTexts(reply.attachment.content);
    for (const t of texts) {
      const runs = t.split(/[\s\u200b]+/);
      assert.ok(
        runs.every((r) => r.length <= 64),
        `no unbroken run over 64 characters: ${t.slice(0, 60)}`,
      );
    }
    const shown = texts.map((t) => t.replace(/\u200b/g, ''));
    assert.ok(shown.includes(long) && shown.includes(`Requested by ${long}.`), 'the text is otherwise unchanged');
    assert.ok(texts.includes(ID), 'the id is shown whole');
    const data = JSON.stringify((reply.attachment.content as { actions: unknown }).actions);
    assert.ok(!data.includes('\u200b'), 'button data is untouched');
  });
});
