// Inbound Bot Framework tokens are verified once per channel and service URL and then taken from
// memory until their expiry or MAX_REUSE_MS, whichever is first; nothing else is ever taken.
// The checks that depend on the activity (the signing key's endorsement of the channel, the token's
// serviceurl claim) are why both are part of the key:
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#step-4-verify-the-jwt-token

import { strict as assert } from 'node:assert';
import { MAX_REUSE_MS, VerifiedTokens } from '../../src/bot/verifiedTokens';

const HEADER = 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJib3QifQ.c2ln';
const URL_A = 'https://smba.trafficmanager.net/amer/';

describe('verified inbound tokens', () => {
  let now: number;
  let tokens: VerifiedTokens<string>;
  beforeEach(() => {
    now = 1_800_000_000_000;
    tokens = new VerifiedTokens<string>(() => now);
  });

  it('takes a verified token for the same header, channel and service URL only', () => {
    tokens.remember(HEADER, 'msteams', URL_A, now + 3_600_000, 'identity');
    assert.equal(tokens.get(HEADER, 'msteams', URL_A), 'identity');
    assert.equal(tokens.get(HEADER, 'webchat', URL_A), null, 'another channel is verified again');
    assert.equal(
      tokens.get(HEADER, 'msteams', 'https://smba.trafficmanager.net/emea/'),
      null,
      'another service URL too',
    );
    assert.equal(tokens.get(`${HEADER}x`, 'msteams', URL_A), null, 'another token too');
    assert.equal(tokens.get(HEADER, undefined, undefined), null);
  });

  it('stops taking it at its expiry', () => {
    tokens.remember(HEADER, 'msteams', URL_A, now + 60_000, 'identity');
    now += 59_999;
    assert.equal(tokens.get(HEADER, 'msteams', URL_A), 'identity');
    now += 1;
    assert.equal(tokens.get(HEADER, 'msteams', URL_A), null);
  });

  it('verifies a long-lived token again after MAX_REUSE_MS', () => {
    tokens.remember(HEADER, 'msteams', URL_A, now + 24 * 3_600_000, 'identity');
    now += MAX_REUSE_MS - 1;
    assert.equal(tokens.get(HEADER, 'msteams', URL_A), 'identity');
    now += 1;
    assert.equal(tokens.get(HEADER, 'msteams', URL_A), null);
  });

  it('keeps nothing already expired, without an expiry, or without a header', () => {
    tokens.remember(HEADER, 'msteams', URL_A, now, 'expired');
    tokens.remember(`${HEADER}2`, 'msteams', URL_A, NaN, 'no exp claim');
    tokens.remember('', 'msteams', URL_A, now + 60_000, 'no header');
    assert.equal(tokens.get(HEADER, 'msteams', URL_A), null);
    assert.equal(tokens.get(`${HEADER}2`, 'msteams', URL_A), null);
    assert.equal(tokens.get('', 'msteams', URL_A), null);
  });

  it('keeps nothing for an activity without a channel id or service URL', () => {
    for (const [channel, url] of [
      [undefined, URL_A],
      [null, URL_A],
      ['', URL_A],
      ['msteams', undefined],
      ['msteams', ''],
      ['msteams', 7],
    ] as const) {
      tokens.remember(HEADER, channel, url, now + 60_000, 'identity');
      assert.equal(tokens.get(HEADER, channel, url), null, `${String(channel)} ${String(url)}`);
    }
  });

  it('holds a bounded number of tokens', () => {
    const small = new VerifiedTokens<string>(() => now, 2);
    for (const h of ['a', 'b', 'c']) small.remember(h, 'msteams', URL_A, now + 60_000, h);
    assert.equal(small.get('a', 'msteams', URL_A), null, 'the oldest was dropped');
    assert.equal(small.get('c', 'msteams', URL_A), 'c');
  });
});
