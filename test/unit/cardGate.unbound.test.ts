// A press on a card with no binding. The bot binds a notification card to its item only after
// Teams accepted it (the binding needs the message id Teams gave), and a binding that could not be
// stored is written again when its row comes back (README "Delivery": "the card's buttons are
// refused until its row comes back … and whoever takes the row binds them"). A card the bot did
// post may so be pressed before its binding exists: the answer must not tell the person that the
// bot never posted it and leave it there, but say that a card just arrived may be pressed again
// shortly. Proactive messages are posted first and only then known by their id:
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages

import { strict as assert } from 'node:assert';
import type { BindingPort } from '../../src/domain/cardActionPorts';
import { cardRefusal } from '../../src/domain/cardGate';
import type { Click } from '../../src/domain/click';

describe('a press on a card with no binding', () => {
  it('says the card may not be ready yet and to press again, beside "did not post" and "too old"', async () => {
    const bindings: BindingPort = { cardOf: async () => null, settle: async () => undefined };
    const refusals: string[] = [];
    const click = {
      target: { operation: 'approveRoleRequest', id: '00000000-0000-0000-0000-000000000001' },
      conversationId: 'a:1',
      cardActivityId: '1:posted-a-moment-ago',
      actor: { userId: 'u' },
      userName: 'Megan Bowen',
      audit: {},
    } as unknown as Click;
    const { refused } = await cardRefusal(bindings, click, (e) => refusals.push(e.message));
    assert.ok(refused?.kind === 'refused');
    assert.match(refused.message, /did not post this card/);
    assert.match(refused.message, /too old to act on/);
    assert.match(refused.message, /just arrived.*press again in a minute/);
    assert.match(refused.message, /Nothing was done\.$/);
    assert.equal(refusals.length, 1);
  });
});
