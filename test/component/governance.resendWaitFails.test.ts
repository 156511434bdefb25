// The re-send after a write answered 503 with a Retry-After waits that Retry-After first, as Graph
// asks (https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors,
// https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling). A wait that
// fails (its timer torn down) is no wait: the write must not go out again early. It did: the
// failure of the wait was swallowed and the write re-sent at once.

import { strict as assert } from 'node:assert';
import { actor, busy, done, pending, scriptedWrite, target } from '../fixtures/scriptedWrite';

describe('the re-send after a write answered 503, when its wait fails', () => {
  it('is not sent early', async () => {
    const { service, sent: requests } = scriptedWrite([busy({ 'retry-after': '4' }), pending, done], {
      serviceSleep: () => Promise.reject(new Error('timer torn down')),
    });
    const outcome = await service.perform(target, actor).catch((e: unknown) => e);
    assert.deepEqual(
      requests.map((r) => r.method),
      ['POST', 'GET'],
      'the write went out again without its wait',
    );
    assert.ok(!(outcome as { ok?: boolean }).ok);
  });
});
