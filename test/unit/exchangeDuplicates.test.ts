// De-duplication of signin/tokenExchange invokes (src/auth/exchangeDuplicates.ts). Teams sends the
// exchange from every client of the user that shows the OAuth card, with the card's id; the bot
// must answer each (412 after a failure, so that client shows the Sign in button) and tell the user
// what to do when the exchange fails.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code

import { strict as assert } from 'node:assert';
import { ExchangeDuplicates } from '../../src/auth/exchangeDuplicates';

describe('ExchangeDuplicates', () => {
  it('keeps another member’s exchange of the same card apart from the user’s own', async () => {
    const d = new ExchangeDuplicates<string>();
    const own = Promise.resolve('own');
    void d.track('card', 'USER-A', own);
    const foreign = d.track('card', 'user-b', Promise.resolve('foreign'));
    assert.equal(d.running('card', 'user-a'), own);
    await foreign;
    assert.equal(d.running('card', 'user-b'), null, 'forgotten once it ended');
  });

  it('tells a failure once per card and reason: a later failure for another reason is told too', () => {
    const d = new ExchangeDuplicates<string>(() => 0);
    assert.equal(d.firstFailure('card', 'consent'), true);
    assert.equal(d.firstFailure('card', 'consent'), false, 'another client, same failure');
    // Consent was given since (or the first token was refused for another cause): the user must
    // learn what is missing now, not only see the Sign in button under the first card's words.
    assert.equal(d.firstFailure('card', 'mfa'), true);
    assert.equal(d.firstFailure('card', 'mfa'), false);
  });

  it('forgets a told failure after 15 minutes, and keeps at most maxFailed', () => {
    let now = 0;
    const d = new ExchangeDuplicates<string>(() => now, 2);
    assert.equal(d.firstFailure('a', 'consent'), true);
    now = 15 * 60_000;
    assert.equal(d.firstFailure('a', 'consent'), true, 'expired');
    assert.equal(d.firstFailure('b', 'consent'), true);
    assert.equal(d.firstFailure('c', 'consent'), true);
    assert.equal(d.firstFailure('a', 'consent'), true, 'the oldest was dropped to stay within the bound');
  });
});
