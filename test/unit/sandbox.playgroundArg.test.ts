// The launcher hands the bot the Agents Playground's connector address (--sandbox-playground), the
// serviceUrl the Playground puts on its activities (http://localhost:<port>/_connector). The bot
// posts the alerts channel's cards there before anyone opened the Playground, so only a plain http
// address on loopback is taken: the sandbox runs with inbound authentication off and sends its
// cards without a token, never off the machine.

import { strict as assert } from 'node:assert';
import { readConfig } from '../../src/config';
import { sandboxChildConfig } from '../../src/sandbox/start';

const TENANT_URL = 'https://127.0.0.1:45443';

describe('the sandbox bot: the Playground address handed over at start', () => {
  for (const url of [
    'http://localhost:56150/_connector',
    'http://127.0.0.1:40001/_connector',
    'http://[::1]:56150/_connector',
  ]) {
    it(`takes ${url} and reaches the alerts team there`, () => {
      const { link } = sandboxChildConfig(readConfig({}), TENANT_URL, url);
      assert.equal(link.alertsTeamReach?.serviceUrl, url);
      assert.ok(link.alertsTeamReach?.botId);
      assert.ok(link.alertsTeamReach?.tenantId);
    });
  }

  for (const url of [
    'https://localhost:56150/_connector',
    'http://example.com:56150/_connector',
    'http://10.0.0.5:56150/_connector',
    'http://localhost.example.com/_connector',
  ]) {
    it(`refuses ${url}`, () => {
      assert.throws(() => sandboxChildConfig(readConfig({}), TENANT_URL, url), /Agents Playground must be on loopback/);
    });
  }

  it('without one, the alerts team is reached once a turn names the Playground', () => {
    const { link } = sandboxChildConfig(readConfig({}), TENANT_URL);
    assert.equal(link.alertsTeamReach, undefined);
  });
});
