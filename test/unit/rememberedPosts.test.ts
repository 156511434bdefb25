// RememberedPosts (rememberedPosts.ts): a post is remembered for as long as its row comes back,
// however old; memory is bounded by a count, the posts whose rows came back least recently let go
// first (those another instance settled never come back here).

import { strict as assert } from 'node:assert';
import { RememberedPosts } from '../../src/notifications/rememberedPosts';

const DAY_MS = 24 * 3_600_000;
const ACCEPTED = '2025-01-01T00:00:00.000Z';

describe('RememberedPosts', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 0));

  it('keeps a post older than a day when others are remembered after it', () => {
    const posts = new RememberedPosts<string>(now);
    posts.remember('e1', ACCEPTED, 'activity-1');
    clock += 2 * DAY_MS;
    posts.remember('e2', ACCEPTED, 'activity-2');
    assert.equal(posts.take('e1', ACCEPTED), 'activity-1');
    // A day-old post no longer holds its row back from being set aside, but is still there.
    assert.equal(posts.holds('e1', ACCEPTED), false);
    assert.equal(posts.expired('e1'), 'activity-1');
    assert.equal(posts.holds('e2', ACCEPTED), true);
    assert.equal(posts.expired('e2'), undefined);
  });

  it('remembers at most its bound, letting go first the post whose row came back least recently', () => {
    const posts = new RememberedPosts<string>(now, 3);
    posts.remember('a', ACCEPTED, 'activity-a');
    posts.remember('b', ACCEPTED, 'activity-b');
    posts.remember('c', ACCEPTED, 'activity-c');
    // a's row comes back (not written yet); b's was settled by another instance and never does.
    assert.equal(posts.take('a', ACCEPTED), 'activity-a');
    posts.remember('d', ACCEPTED, 'activity-d');
    assert.equal(posts.size, 3);
    assert.equal(posts.take('b', ACCEPTED), undefined, 'the least recently seen is let go');
    assert.equal(posts.take('a', ACCEPTED), 'activity-a');
    // Remembering many more keeps the bound; a row that keeps coming back keeps its post.
    for (let n = 0; n < 50; n++) {
      posts.remember(`x${n}`, ACCEPTED, `activity-x${n}`);
      assert.equal(posts.holds('a', ACCEPTED), true);
      assert.ok(posts.size <= 3);
    }
    assert.equal(posts.take('a', ACCEPTED), 'activity-a');
    assert.equal(posts.take('c', ACCEPTED), undefined);
  });

  it('lets go of a post of an earlier acceptance when the record is of a later one', () => {
    const posts = new RememberedPosts<string>(now);
    posts.remember('e1', ACCEPTED, 'activity-1');
    assert.equal(posts.take('e1', '2025-02-01T00:00:00.000Z'), undefined);
    assert.equal(posts.size, 0);
  });
});
