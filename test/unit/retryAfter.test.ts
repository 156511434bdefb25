// Retry-After in both forms of RFC 9110 §10.2.3 (delay-seconds and HTTP-date), as Microsoft Graph
// sends it on 429 (https://learn.microsoft.com/graph/throttling: "Retry-After" with a delay in
// seconds) and as the Bot Connector does.

import { strict as assert } from 'node:assert';
import { parseRetryAfter } from '../../src/domain/retryAfter';

const NOW = Date.parse('2026-03-02T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds, whole and fractional, as milliseconds', () => {
    assert.equal(parseRetryAfter('10', NOW), 10_000);
    assert.equal(parseRetryAfter(' 0 ', NOW), 0);
    assert.equal(parseRetryAfter('2.128', NOW), 2_128);
    assert.equal(parseRetryAfter('0.0001', NOW), 1, 'a fraction of a millisecond still waits');
  });

  it('reads an HTTP-date in each of its three forms, counting from now', () => {
    assert.equal(parseRetryAfter('Mon, 02 Mar 2026 10:00:07 GMT', NOW), 7_000);
    assert.equal(parseRetryAfter('Monday, 02-Mar-26 10:00:30 GMT', NOW), 30_000);
    assert.equal(parseRetryAfter('Mon Mar  2 10:01:00 2026', NOW), 60_000, 'asctime is GMT, not local time');
  });

  // Both dates are the server's clock: a local clock ten seconds ahead of it would read a 5 s wait
  // as a date already past, and re-send at once into the same throttling.
  // https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling
  it('counts a date from the answer’s own Date header when it has one, whatever the local clock', () => {
    const ahead = NOW + 10_000;
    assert.equal(parseRetryAfter('Mon, 02 Mar 2026 10:00:05 GMT', ahead, 'Mon, 02 Mar 2026 10:00:00 GMT'), 5_000);
    const behind = NOW - 60_000;
    assert.equal(parseRetryAfter('Mon, 02 Mar 2026 10:00:05 GMT', behind, 'Mon, 02 Mar 2026 10:00:00 GMT'), 5_000);
    assert.equal(parseRetryAfter('7', ahead, 'Mon, 02 Mar 2026 10:00:00 GMT'), 7_000, 'seconds are seconds');
    assert.equal(parseRetryAfter('Mon, 02 Mar 2026 10:00:07 GMT', NOW, 'not a date'), 7_000, 'else from now');
  });

  // A Date header far from any real clock (a proxy's, a stale one) would turn a few seconds into
  // years to wait (or none): beyond an hour of skew, the date counts from the local clock.
  it('does not count from a Date header far off the local clock', () => {
    const soon = 'Mon, 02 Mar 2026 10:00:05 GMT';
    assert.equal(parseRetryAfter(soon, NOW, 'Sat, 01 Jan 2000 00:00:00 GMT'), 5_000, 'a Date years behind');
    assert.equal(parseRetryAfter(soon, NOW, 'Thu, 01 Jan 1970 00:00:00 GMT'), 5_000, 'the epoch');
    assert.equal(parseRetryAfter(soon, NOW, 'Tue, 03 Mar 2026 10:00:00 GMT'), 5_000, 'a Date a day ahead');
    assert.equal(parseRetryAfter(soon, NOW, 'Mon, 02 Mar 2026 09:30:00 GMT'), 1_805_000, 'half an hour is skew');
  });

  it('answers 0 for a date already past', () => {
    assert.equal(parseRetryAfter('Mon, 02 Mar 2026 09:59:00 GMT', NOW), 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', NOW), 0);
  });

  it('answers null for absent or unreadable values', () => {
    for (const v of [
      null,
      undefined,
      '',
      '   ',
      'soon',
      '-5',
      '5s',
      '1e3',
      '0x10',
      'NaN',
      'Infinity',
      '2026-03-02',
      'Mon, 99 Foo 2026',
    ]) {
      assert.equal(parseRetryAfter(v, NOW), null, String(v));
    }
  });
});
