// The per-conversation send pacer: Teams allows a bot 7 sends per second, 8 per 2 seconds and 60 per 30 seconds in
// one thread (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit), and
// the pacer's memory stays bounded however many conversations it sees.

import { strict as assert } from 'node:assert';
import { ConversationPacer } from '../../src/notifications/pacer';

describe('conversation pacer', () => {
  it('grants 7 sends in a second, then says how long to wait', () => {
    const pacer = new ConversationPacer();
    const t0 = 1_000_000;
    for (let i = 0; i < 7; i++) assert.equal(pacer.reserve('c', t0 + i), 0);
    const wait = pacer.reserve('c', t0 + 10);
    assert.equal(wait, 990, 'until the first of the seven leaves the one-second window');
    assert.equal(pacer.reserve('c', t0 + 1000), 0);
    assert.equal(pacer.reserve('other', t0 + 10), 0, 'other conversations are not held up');
  });

  it('grants at most 8 sends in any 2 seconds', () => {
    const pacer = new ConversationPacer();
    const admitted: number[] = [];
    for (let t = 0; t <= 4_000; t += 10) if (pacer.reserve('c', 1_000_000 + t) === 0) admitted.push(t);
    const worst = Math.max(...admitted.map((t) => admitted.filter((u) => u >= t && u < t + 2_000).length));
    assert.ok(worst <= 8, `${worst} sends admitted within 2 s: ${admitted.join(', ')}`);
  });

  it('grants at most 60 sends in 30 seconds', () => {
    const pacer = new ConversationPacer();
    const t0 = 1_000_000;
    let granted = 0;
    let t = t0;
    for (; t < t0 + 30_000; t += 200) if (pacer.reserve('c', t) === 0) granted++;
    assert.equal(granted, 60);
    assert.ok(pacer.reserve('c', t0 + 29_999) > 0);
  });

  it('forgets conversations that sent nothing for 30 seconds', () => {
    const pacer = new ConversationPacer();
    const t0 = 1_000_000;
    for (let i = 0; i < 1000; i++) pacer.reserve(`c${i}`, t0);
    assert.equal(pacer.size, 1000);
    pacer.reserve('late', t0 + 30_001);
    assert.equal(pacer.size, 1);
  });

  it('tracks at most `capacity` conversations at once', () => {
    const pacer = new ConversationPacer(500);
    const t0 = 1_000_000;
    for (let i = 0; i < 20_000; i++) pacer.reserve(`c${i}`, t0 + (i % 100));
    assert.equal(pacer.size, 500);
  });
});
