// The row of a posted card whose binding could not be stored (boundRow.ts): it comes back after
// as long again as has passed since the post (at least 5 s, at most 10 minutes), and a day after
// the post it is let go, said in the log; a bound card's row is done.

import { strict as assert } from 'node:assert';
import { BIND_RETRY_FIRST_MS, Binding, endBoundRow } from '../../src/notifications/boundRow';
import { Lease } from '../../src/state/port';
import { recordingLogger } from '../fixtures/recordingLogger';

const NOW = 1_700_000_000_000;
const row: Lease<{ eventId: string }> = { id: 'e1', payload: { eventId: 'e1' }, attempts: 40, receipt: 'r' };

async function ended(binding: Binding, postedAt: number | undefined) {
  const done: string[] = [];
  const log = recordingLogger();
  const outbox = {
    complete: async () => done.push('completed') > 0,
    release: async (_row: unknown, ms: number) => done.push(`back in ${ms} ms`) > 0,
  };
  await endBoundRow({ outbox, row, postedAt, now: NOW, logger: log.logger, what: { eventId: 'e1' } }, binding);
  return { done, events: log.events() };
}

describe('the row of a posted card and its binding', () => {
  it('is done once the card is bound', async () => {
    assert.deepEqual((await ended('bound', NOW)).done, ['completed']);
  });

  it('comes back after as long again as has passed since the post, from 5 s to 10 minutes, whatever its lease count', async () => {
    assert.deepEqual((await ended('unbound', NOW)).done, [`back in ${BIND_RETRY_FIRST_MS} ms`]);
    assert.deepEqual((await ended('unbound', NOW - 40_000)).done, ['back in 40000 ms']);
    assert.deepEqual((await ended('unbound', NOW - 2 * 3_600_000)).done, ['back in 600000 ms']);
    assert.deepEqual(
      (await ended('unbound', undefined)).done,
      [`back in ${BIND_RETRY_FIRST_MS} ms`],
      'no post time kept',
    );
  });

  it('is let go a day after the post, and the log says the buttons stay refused', async () => {
    const { done, events } = await ended('unbound', NOW - 24 * 3_600_000);
    assert.deepEqual(done, ['completed']);
    assert.ok(events.includes('notification.bind.abandoned'));
  });
});
