// The served tenant (activities naming another are refused 403, adapter.ts): a GUID is served; a
// tenant configured by its domain name cannot be compared with the tenant GUID Teams puts in an
// activity (conversation.tenantId, channelData.tenant.id), so the check is off and the operator is
// told at start. https://learn.microsoft.com/en-us/microsoftteams/platform/agents-in-teams/agent-tenancy

import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { servedTenantOf } from '../../src/bot/servedTenant';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';

const TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    destination: new Writable({
      write(chunk: Buffer, _e, cb) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        cb();
      },
    }),
  });
  return { lines, logger };
}

const configWith = (tenant: string) =>
  readConfig({
    MicrosoftAppId: '7f3c2a10-5b6d-4e8f-9a1b-2c3d4e5f6a7b',
    MicrosoftAppPassword: 'not-a-secret',
    MicrosoftAppType: 'MultiTenant',
    AAD_APP_CLIENT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    AAD_APP_CLIENT_SECRET: 'not-a-secret-either',
    AAD_APP_TENANT_ID: tenant,
    BOT_ENDPOINT: 'https://governance-bot.contoso.net',
  });

describe('the served tenant', () => {
  it('is the configured tenant GUID, and nothing is logged', () => {
    const { lines, logger } = capture();
    assert.equal(servedTenantOf(configWith(TENANT), logger), TENANT);
    assert.deepEqual(lines, []);
  });

  it('is unknown for a tenant named by its domain, and the operator is told the check is off', () => {
    const { lines, logger } = capture();
    assert.equal(servedTenantOf(configWith('contoso.onmicrosoft.com'), logger), null);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.event, 'config.tenant.notGuid');
    assert.match(String(lines[0]!.msg), /not refused/);
  });
});
