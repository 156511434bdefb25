// env/.env.dev.example is copied, then filled in (its own first line). A copy run as it is, or with
// a value left out, must not start a bot that fails at its first message: a `<…>` placeholder is
// no id and no secret. The refusal names each variable still holding its stand-in, never a value.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEnv } from 'node:util';
import { readConfig } from '../../src/config';
import { projectRoot } from '../../src/paths';
import { configProblems as problems } from '../fixtures/configEnv';

const example = parseEnv(fs.readFileSync(path.join(projectRoot(), 'env', '.env.dev.example'), 'utf8'));

const filled = {
  ...example,
  MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
  MicrosoftAppTenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  MicrosoftAppPassword: 'bot-secret-value',
  AAD_APP_CLIENT_ID: '66666666-7777-8888-9999-000000000000',
  AAD_APP_CLIENT_SECRET: 'sso-secret-value',
  AAD_APP_TENANT_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
};

describe('readConfig: the example environment as copied', () => {
  it('refuses the copy run as it is, naming each stand-in', () => {
    const found = problems(example as Record<string, string>);
    const standIns = found.filter((p) => /stand-in/.test(p));
    assert.equal(standIns.length, 1, found.join('\n'));
    for (const key of [
      'MicrosoftAppId',
      'MicrosoftAppPassword',
      'MicrosoftAppTenantId',
      'AAD_APP_CLIENT_ID',
      'AAD_APP_CLIENT_SECRET',
      'AAD_APP_TENANT_ID',
    ]) {
      assert.ok(standIns[0]!.includes(key), `${key}: ${standIns[0]}`);
    }
    assert.ok(!standIns[0]!.includes('bot client secret'), standIns[0]);
  });

  it('names only what is left when the rest is filled in, and starts once all is', () => {
    assert.deepEqual(
      problems({ ...filled, AAD_APP_CLIENT_SECRET: example.AAD_APP_CLIENT_SECRET! }).filter((p) => /stand-in/.test(p)),
      [
        'AAD_APP_CLIENT_SECRET still holds the stand-in of env/.env.dev.example (a <…> placeholder): set the real value.',
      ],
    );
    assert.equal(readConfig(filled).mode, 'production');
  });

  it('takes an all-zero GUID, a well-formed id (contract section 2 refuses only malformed values)', () => {
    const zero = '00000000-0000-0000-0000-000000000000';
    assert.equal(readConfig({ ...filled, MicrosoftAppId: zero, AAD_APP_CLIENT_ID: zero }).mode, 'production');
  });
});
