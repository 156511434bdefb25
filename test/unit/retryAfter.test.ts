// Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3,
// https://www.rfc-editor.org/rfc/rfc9110#field.retry-after); Teams and Graph send both.

import { strict as assert } from 'node:assert';
import { parseRetryAfter } from '../../src/domain/retryAfter';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');

  it('reads seconds, fractions included', () => {
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('1.5', now), 1500);
  });

  it('reads an HTTP-date as the time left until it (0 when already past)', () => {
    assert.equal(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sun, 01 Jun 2025 11:59:00 GMT', now), 0);
    assert.equal(parseRetryAfter('Sunday, 01-Jun-25 12:00:10 GMT', now), 10_000);
  });

  it('gives null for no value or a value that is neither form', () => {
    for (const v of [undefined, null, '', 'soon', '-1', '1e3', '12 34'])
      assert.equal(parseRetryAfter(v, now), null, String(v));
  });
});
