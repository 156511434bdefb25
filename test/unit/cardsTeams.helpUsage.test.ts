// The help card's usage lines name their arguments in angle brackets (`cancel role-request
// <requestId>`). Teams renders TextBlock.text as Markdown, and a Markdown renderer takes
// `<requestId>` for an HTML tag and drops it: the Agents Playground showed "cancel role-request"
// with nothing after it. A TextRun of a RichTextBlock is plain text ("Markdown is not supported"),
// which is how the usage card already shows the same lines.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format
// https://learn.microsoft.com/en-us/adaptive-cards/schema-explorer/text-run

import { strict as assert } from 'node:assert';
import { GRAMMAR, usageOf } from '../../src/bot/commands';
import { createReplyCards } from '../../src/bot/replyCards';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { libraryProblems, markdownTexts, plainTexts } from './cardsTeams.cardWalk';

describe('cards in Teams: the help card shows usage lines as plain text', () => {
  for (const examples of [null, loadDemoSeed().examples]) {
    it(`every usage with <argument> is shown whole, never as Markdown (${examples ? 'sandbox' : 'real tenant'})`, () => {
      const content = createReplyCards({ cloud: 'global', examples }).help().attachment.content as Record<
        string,
        unknown
      >;
      assert.deepEqual(libraryProblems(content), [], 'the Adaptive Cards library accepts it');
      const plain = plainTexts(content);
      const usages = [...GRAMMAR.map(usageOf), 'alerts on <category>', 'alerts off <category>'];
      for (const usage of usages) assert.ok(plain.includes(usage), `"${usage}" is a plain TextRun`);
      assert.deepEqual(
        markdownTexts(content).filter((t) => t.includes('<')),
        [],
        'no TextBlock carries an angle bracket',
      );
    });
  }
});
