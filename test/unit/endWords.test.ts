// The end page's words (src/auth/pages/endWords.ts). The `error` Entra's authorize endpoint sends
// back to the redirect URI is a code string the bot does not choose
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-response),
// and anyone may open the end page with a query of their own; the page repeats any [a-z_] code.
// One that names an Object property (`constructor`, `__proto__`) is no word of the page: it gets
// the generic words, and the page is still served (looked up as any string, it threw).

import assert from 'node:assert/strict';
import { endPage } from '../../src/auth/pages/html';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

describe('sign-in end page: an authorize error that names an Object property', () => {
  for (const reason of ['constructor', '__proto__']) {
    it(`${reason}: the generic words, to sign in again`, () => {
      const html = endPage({ kind: 'failure', reason, fromAuthorize: true }, PASSWORD_RESET_PAGES.global);
      assert.match(html, /Sign-in did not complete\. Close this window, go back to Teams and select Sign in again\./);
      assert.doesNotMatch(html, /function|native code/);
    });
  }
});
