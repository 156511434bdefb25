// A very long unbroken string from outside (a name of 300 letters, a pasted token) must not push a
// card wider than the screen. A TextBlock with wrap breaks inside a word, but a TextRun of a
// RichTextBlock, where outside text sits (cardsTeams.plainText), gets no such rule in the Adaptive
// Cards renderer (lib/card-elements.js sets wordWrap "break-word" on TextBlock only), so the card
// itself offers a break: an invisible zero-width space inside every run longer than 64 characters.
// Ids (GUIDs are 36 characters) and permission names (up to 52) stay whole, so they can still be copied into a command.
// https://learn.microsoft.com/en-us/adaptive-cards/schema-explorer/rich-text-block
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format
// The break goes between user-perceived characters only (https://www.unicode.org/reports/tr29/):
// Thai, Lao, Khmer and Burmese write whole sentences without spaces and put vowel and tone marks
// after their consonant, and a zero-width space between the two shows the mark on a dotted circle.

import { strict as assert } from 'node:assert';
import { itemCard } from '../../src/bot/replyCards';
import { plainTexts } from './cardsTeams.cardWalk';
import { buttonsOf } from '../fixtures/cardButtons';

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
    const data = JSON.stringify(buttonsOf(reply.attachment.content));
    assert.ok(!data.includes('\u200b'), 'button data is untouched');
  });

  it('breaks only between whole characters: never inside a Thai syllable, an emoji sequence or a flag', () => {
    const graphemes = (t: string): string[] =>
      Array.from(new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(t), (g) => g.segment);
    // An odd start puts the 65th code point on a vowel mark; then emoji made of several code points.
    const thai = `ก${'กิ'.repeat(100)}`;
    const emoji = '👩‍👩‍👧🇫🇷'.repeat(40);
    for (const long of [thai, emoji]) {
      const reply = itemCard(
        { operation: 'cancelRoleRequest', ids: { requestId: ID } },
        { title: 'x', text: long, settled: true },
      );
      const shown = plainTexts(reply.attachment.content).find((t) => t.replace(/\u200b/g, '') === long);
      assert.ok(shown !== undefined, 'the text is shown');
      assert.ok(shown.includes('\u200b'), 'a break is offered');
      const kept = graphemes(shown).filter((g) => g !== '\u200b');
      assert.deepEqual(kept, graphemes(long), 'every character is whole');
    }
  });
});
