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
});
