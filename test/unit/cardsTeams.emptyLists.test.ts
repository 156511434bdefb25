// A card whose list is empty (a digest with nothing waiting, a sign-in card with no ids) shows no
// gap where the list would be. A FactSet with no facts renders nothing, but the Container that now
// holds fact rows is drawn even with no items (the Adaptive Cards renderer's Container.internalRender
// returns its element whatever it holds, and the element before it gets its spacing), so a
// Container whose rows may be none is dropped with $when instead.
// https://learn.microsoft.com/en-us/adaptive-cards/templating/language#conditional-layout-with-when
// https://adaptivecards.io/explorer/Container.html

import { strict as assert } from 'node:assert';
import { digestCard } from '../../src/alerts/digest';
import { createReplyCards } from '../../src/bot/replyCards';
import { SignInRequiredError } from '../../src/domain/errors';
import { libraryProblems, nodesOf } from './cardsTeams.cardWalk';

const now = Date.UTC(2026, 2, 4, 20, 0, 0);

function emptyContainers(content: unknown): number {
  return nodesOf(content).filter((n) => n.type === 'Container' && Array.isArray(n.items) && n.items.length === 0)
    .length;
}

describe('cards in Teams: empty lists leave no gap', () => {
  it('a digest with nothing waiting has no empty Container', () => {
    const { attachment } = digestCard(['roleRequests'], { date: '2026-03-04', counts: {} }, [], now);
    assert.deepEqual(libraryProblems(attachment.content), []);
    assert.equal(emptyContainers(attachment.content), 0);
    const shown = JSON.stringify(attachment.content);
    assert.ok(
      shown.includes('Nothing in the categories this channel follows is waiting for a decision.'),
      'the card still says nothing waits',
    );
  });

  it('a sign-in card without a target has no empty Container', () => {
    const cards = createReplyCards({ cloud: 'global', examples: null });
    const reply = cards.signInProblem(new SignInRequiredError('x', 'consent'), null);
    assert.deepEqual(libraryProblems(reply.attachment.content), []);
    assert.equal(emptyContainers(reply.attachment.content), 0);
  });

  it('a card with facts still shows them', () => {
    const cards = createReplyCards({ cloud: 'global', examples: null });
    const ids = { requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e' };
    const reply = cards.signInProblem(new SignInRequiredError('x', 'consent'), {
      operation: 'cancelRoleRequest',
      ids,
    });
    const texts = nodesOf(reply.attachment.content)
      .filter((n) => n.type === 'TextRun')
      .map((n) => n.text);
    assert.ok(texts.includes('requestId: ') && texts.includes(ids.requestId), 'the id fact is on the card');
  });
});
