// The one line said in place of an answer Teams did not take (src/bot/replies.ts).

import { strict as assert } from 'node:assert';
import { answerNotSentText } from '../../src/bot/replies';

const reply = (summary: string) => ({ attachment: { contentType: 'text/plain', content: '' }, summary });

describe('an answer that could not be sent', () => {
  it('says the answer’s summary as one sentence, and that the full answer was not shown', () => {
    assert.equal(
      answerNotSentText(reply('Cancelled the role assignment request')),
      'Cancelled the role assignment request. (The full answer could not be shown.)',
    );
    assert.equal(answerNotSentText(reply('Saved.')), 'Saved. (The full answer could not be shown.)');
    assert.equal(answerNotSentText(reply('Who are you?')), 'Who are you? (The full answer could not be shown.)');
    assert.equal(answerNotSentText(reply('Working…')), 'Working… (The full answer could not be shown.)');
  });
});
