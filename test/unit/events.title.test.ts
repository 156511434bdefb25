// An event's optional `title` heads its card (README, "POST /api/notifications"). An empty one is
// taken as no title, and the card keeps its own heading; a title of only spaces (or other blank
// characters) was taken as written and the card showed a blank heading. It is now taken as the
// empty one is.

import { strict as assert } from 'node:assert';
import { eventCard } from '../../src/bot/replyCards';
import { CategoryEvents } from '../../src/notifications/categoryEvents';
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

// An event an earlier release accepted kept a blank title as written, and may still wait in the
// outbox (retries, an outage) or in a category's titles when this release renders it.
describe('the blank title of an event an earlier release accepted', () => {
  it('is no title when its card is rendered: the card keeps its heading', () => {
    const parsed = parseEvent(event(''));
    assert.ok(parsed.ok);
    const stored = { ...parsed.event, title: ' \u00a0 ' };
    const card = eventCard(stored);
    assert.deepEqual(card, eventCard(parsed.event), 'the card of an event with no title');
    assert.match(card.summary, /^\S/, 'the summary opens with the heading');
  });

  it("is no title for a category's alerts: the item is named by the event's own line", async () => {
    const parsed = parseEvent({ ...event(''), kind: 'roleApproval', target: { category: 'approvals' } });
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const named: string[] = [];
    const waiting: string[] = [];
    const alerts = { publish: async () => undefined };
    const digest = {
      waiting: async (w: { title: string }) => void waiting.push(w.title),
      count: async () => undefined,
    };
    const titles = { remember: async (_o: string, _i: unknown, title: string) => void named.push(title) };
    const events = new CategoryEvents(alerts as never, digest as never, titles as never);
    const card = eventCard(parsed.event);
    await events.publish(parsed.event, card as never);
    await events.publish({ ...parsed.event, title: '  ' }, card as never);
    assert.equal(named.length, 2);
    assert.ok(named[0]!.trim(), 'the item has a name');
    assert.deepEqual(named, [named[0], named[0]], 'a blank title names it as no title does');
    assert.deepEqual(waiting, [named[0], named[0]], 'and so does the digest');
  });
});
