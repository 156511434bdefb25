// Text from outside that looks like a template expression ("${$root.x}", "${if(...)}") is bound
// as the value it is: adaptivecards-templating never evaluates data, and the card shows the text
// exactly as typed (not altered to "$ {"), while an expression the template itself leaves unbound
// is still caught.
// https://learn.microsoft.com/en-us/adaptive-cards/templating/language

import { strict as assert } from 'node:assert';
import { createReplyCards } from '../../src/bot/replyCards';
import { renderCard } from '../../src/cards/render';
import { plainTexts } from './cardsTeams.cardWalk';

describe('cards in Teams: template expressions in data', () => {
  const cards = createReplyCards({ cloud: 'global', examples: null });

  it('shows "${...}" from outside exactly as typed and never evaluates it', () => {
    const title = "${$root.text} ${if(true, 'EVAL', 'no')}";
    const text = 'Budget ${string(1+1)} and ${text}';
    const shown = plainTexts(cards.info(title, text).attachment.content);
    assert.ok(shown.includes(title), `shown: ${JSON.stringify(shown)}`);
    assert.ok(shown.includes(text), `shown: ${JSON.stringify(shown)}`);
    assert.deepEqual(
      shown.filter((s) => s.includes('EVAL') || s.includes('Budget')),
      [title, text],
      'nothing was evaluated',
    );
  });

  it('still refuses a template expression left unbound by missing data', () => {
    assert.throws(() => renderCard('info', { title: 'x' } as never), /unbound/);
  });
});
