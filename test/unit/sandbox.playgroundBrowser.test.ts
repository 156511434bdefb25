// The sandbox opens no browser unless asked (README "The sandbox"): it passes the Agents
// Playground's own TEAMSAPPTESTER_BROWSER as "none" when the variable is not set, and the
// Playground opens the system's browser for any other value (its dist: shouldOpenBrowser is
// "none" !== TEAMSAPPTESTER_BROWSER). A variable set to the empty string or only spaces counts as
// not set for the sandbox launcher (README "Configuration"): such a value must not open a browser.

import { strict as assert } from 'node:assert';
import { playgroundBrowser } from '../../src/sandbox/playground';

describe('sandbox: the Playground opens no browser unless asked', () => {
  it('passes "none" when TEAMSAPPTESTER_BROWSER is not set, empty or blank', () => {
    for (const value of [undefined, '', '   ']) {
      assert.equal(playgroundBrowser({ TEAMSAPPTESTER_BROWSER: value }), 'none', JSON.stringify(value));
    }
  });

  it('passes a value that is set as it is', () => {
    assert.equal(playgroundBrowser({ TEAMSAPPTESTER_BROWSER: 'chrome' }), 'chrome');
    assert.equal(playgroundBrowser({ TEAMSAPPTESTER_BROWSER: 'none' }), 'none');
  });
});
