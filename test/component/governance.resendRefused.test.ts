// A write left unanswered (a 503) is read, found still open, and sent once more. When Graph
// refuses that re-send with a plain 4xx (https://learn.microsoft.com/graph/errors#http-status-codes),
// only the re-send is known to have been refused: the first write may still land (the read can
// lag it), so the person must not be told "nothing was changed"; the first write's outcome is
// what is unknown.

import { strict as assert } from 'node:assert';
import { RefusedByGraphError, UpstreamError } from '../../src/domain/errors';
import { CATALOG } from '../../src/domain/operations';
import { explain } from '../../src/cards/wording';
import { actor, busy, json, pending, scriptedWrite, target } from '../fixtures/scriptedWrite';

describe('a re-send after an unanswered write that Graph refuses with a 4xx', () => {
  it('tells that the first write may or may not have taken effect, never that nothing changed', async () => {
    const {
      service,
      sent: requests,
      lines,
    } = scriptedWrite([
      busy(),
      pending,
      () => json(422, { error: { code: 'UnprocessableEntity', message: 'Refused.' } }),
      pending,
    ]);
    const outcome = await service.perform(target, actor);
    assert.deepEqual(
      requests.map((r) => r.method),
      ['POST', 'GET', 'POST', 'GET'],
      'write, read, one re-send, last read',
    );
    assert.ok(!outcome.ok);
    assert.ok(outcome.error instanceof UpstreamError);
    assert.ok(!(outcome.error instanceof RefusedByGraphError), 'the first write is still unaccounted for');
    const words = JSON.stringify(explain(outcome.error, CATALOG[target.operation]));
    assert.match(words, /may or may not/);
    assert.doesNotMatch(words, /Nothing was changed/);
    assert.equal(lines[0]?.errorCode, 'UPSTREAM');
  });
});
