// The "Signed out" card must be true with and without Teams single sign-on: with it, the next
// command signs the user in again without a prompt ("app users can use your app without needing
// to sign in again",
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-overview),
// so the card cannot promise that it asks.

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

describe('sign out: the card', () => {
  let r: Rig;
  rigPerTest((rig) => {
    r = rig;
  });

  it('says the next command signs in again, maybe without asking; not that it asks', async () => {
    const megan = r.user(0);
    await r.signIn(megan);
    const { sent } = await r.message(megan, 'sign out');
    const text = JSON.stringify(sent);
    assert.match(text, /Signed out/);
    assert.match(text, /no longer holds a token for you/);
    assert.doesNotMatch(text, /asks you to sign in/, text);
    assert.match(text, /Your next command signs you in again; Teams may do it without asking you\./, text);
  });
});
