// An event's optional `title` heads its card (README, "POST /api/notifications"). An empty one is
// taken as no title, and the card keeps its own heading; a title of only spaces (or other blank
// characters) was taken as written and the card showed a blank heading. It is now taken as the
// empty one is.

import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';

const event = (title: unknown) => ({
  eventId: 'e1',
  kind: 'roleRequest',
  target: { userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1' },
  requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
  title,
});

describe('the title of a notification event', () => {
  it('takes a blank title as the empty one: no title, the card keeps its heading', () => {
    const empty = parseEvent(event(''));
    assert.ok(empty.ok);
    assert.equal(empty.event.title, '');
    for (const blank of ['   ', '\t\n', '\u00a0', ' \u200b ', '\u3000']) {
      const parsed = parseEvent(event(blank));
      assert.deepEqual(parsed, empty, JSON.stringify(blank));
    }
  });

  it('keeps a title with words as written, and still refuses one that is not a string', () => {
    const said = parseEvent(event('  Megan asks for Global Reader '));
    assert.ok(said.ok);
    assert.equal(said.event.title, '  Megan asks for Global Reader ');
    const number = parseEvent(event(5));
    assert.ok(!number.ok);
    assert.deepEqual(number.problems, ['title must be a string.']);
  });
});
