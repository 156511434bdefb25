// The sentence that says why part of a list could not be read keeps Microsoft's product names as
// they are written (https://learn.microsoft.com/graph/overview: "Microsoft Graph"), whichever
// error it explains: only the title's first letter becomes small after the colon.

import { strict as assert } from 'node:assert';
import { explainShort } from '../../src/bot/listWords';
import { RefusedByGraphError, ThrottledError, UpstreamError } from '../../src/domain/errors';

describe('list words: a part that could not be listed', () => {
  it('names Microsoft Graph as it is written', () => {
    const busy = explainShort('requests', 'access', new ThrottledError('busy', 10));
    assert.match(busy, /^Access package requests could not be listed: Microsoft Graph is busy\. /, busy);
    assert.doesNotMatch(busy, /microsoft graph/);
    const failed = explainShort('approvals', 'role', new UpstreamError('no answer'));
    assert.doesNotMatch(failed, /microsoft graph/, failed);
  });

  it('starts any other title small after the colon', () => {
    const refused = explainShort('requests', 'group', new RefusedByGraphError('refused'));
    assert.match(refused, /could not be listed: [a-z]/, refused);
    assert.doesNotMatch(refused, /microsoft graph/, refused);
  });

  // A list read writes nothing: a 5xx or no answer is read again, never "checked before trying
  // again, so it is not changed twice" (the words of a write whose answer was lost).
  it('a list read that failed or went unanswered: send the list command again, nothing to check', () => {
    for (const error of [
      new UpstreamError('Microsoft Graph failed (HTTP 503); the action may or may not have taken effect.', {
        status: 503,
        requestId: 'r',
      }),
      new UpstreamError('Microsoft Graph did not answer in time; the action may or may not have taken effect.'),
    ]) {
      const said = explainShort('approvals', 'access', error);
      assert.match(said, /^Access package approvals could not be listed: Microsoft Graph /, said);
      assert.match(said, /Send "my approvals" again in a moment\.$/, said);
      assert.doesNotMatch(said, /before trying again|not changed twice|may or may not/, said);
    }
  });

  // A part Graph was too busy to give in time (Retry-After, https://learn.microsoft.com/graph/throttling):
  // "Try again" would not say what to try on a list card reached by typing or by More; the note
  // names the list command to send again, and when.
  it('a part Graph was too busy to give: the list command to send again, and in how many seconds', () => {
    const said = explainShort('approvals', 'group', new ThrottledError('busy', 10));
    assert.match(said, /^PIM for Groups approvals could not be listed: Microsoft Graph is busy\. /, said);
    assert.match(said, /Send "my approvals" again in 10 s\.$/, said);
  });
});
