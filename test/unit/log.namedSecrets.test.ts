// The log's redaction of a secret written in free text as a setting, a printed object or a JSON
// member under its name in any case style (camelCase, PascalCase, UPPER_SNAKE, snake_case), and
// the configuration texts that only name such a variable, which stay readable.

import { strict as assert } from 'node:assert';
import { scrubString } from '../../src/log';
import { sovereignEndpointsProblem } from '../../src/configClouds';

describe('logger redaction of named secrets in any case style', () => {
  it('redacts each name = value, name: value, "name":"value" and name=\'value\' form', () => {
    const written: [string, string][] = [
      ['token request failed: clientSecret=s3cr3t1 next', 'token request failed: clientSecret=[redacted] next'],
      ['answer {"refreshToken":"s3cr3t2","expiresIn":3599}', 'answer {"refreshToken":"[redacted]","expiresIn":3599}'],
      ["options { clientSecret: 's3cr3t3', clientId: 'c' }", "options { clientSecret: '[redacted]', clientId: 'c' }"],
      ['MicrosoftAppPassword=s3cr3t4', 'MicrosoftAppPassword=[redacted]'],
      ['AAD_APP_CLIENT_SECRET=s3cr3t5', 'AAD_APP_CLIENT_SECRET=[redacted]'],
      ['SECRET_MicrosoftAppPassword=s3cr3t6', 'SECRET_MicrosoftAppPassword=[redacted]'],
      ['AccessToken: s3cr3t7', 'AccessToken: [redacted]'],
      ['callback id_token=s3cr3t8', 'callback id_token=[redacted]'],
      // MSAL's serialized token cache keeps each credential's value in its "secret" member
      // (https://learn.microsoft.com/entra/msal/dotnet/how-to/token-cache-serialization).
      [
        'cache {"AccessToken":{"k":{"credential_type":"AccessToken","secret":"s3cr3t9"}}}',
        'cache {"AccessToken":{"k":{"credential_type":"AccessToken","secret":"[redacted]"}}}',
      ],
      ['escaped {\\"ClientSecret\\":\\"s3cr3t10\\"}', 'escaped {\\"ClientSecret\\":\\"[redacted]\\"}'],
      ["config.refresh-token = 's3cr3t11 two words'", "config.refresh-token = '[redacted]'"],
      ['STORAGE_ACCOUNT_KEY: s3cr3t12', 'STORAGE_ACCOUNT_KEY: [redacted]'],
      ['SECRET_BOT_KEY=s3cr3t13', 'SECRET_BOT_KEY=[redacted]'],
      ['ssoToken="s3cr3t14', 'ssoToken="[redacted]'],
      ['client_secret_value = s3cr3t15;', 'client_secret_value = [redacted];'],
      [
        'STORAGE_CONNECTION_STRING: DefaultEndpointsProtocol=https;AccountName=a;AccountKey=s3cr3t16',
        'STORAGE_CONNECTION_STRING: DefaultEndpointsProtocol=https;AccountName=a;AccountKey=[redacted]',
      ],
    ];
    for (const [s, want] of written) assert.equal(scrubString(s), want, s);
  });

  it('leaves a configuration text that names a secret variable without a value readable', () => {
    const readable = [
      'AAD_APP_CLIENT_SECRET (or SECRET_AAD_APP_CLIENT_SECRET) is required.',
      'MicrosoftAppPassword (or SECRET_MicrosoftAppPassword) is required when MicrosoftAppType is SingleTenant.',
      'MicrosoftAppPassword must be empty when MicrosoftAppType is UserAssignedMSI.',
      'STORAGE_CONTAINER is required with STORAGE_CONNECTION_STRING: the blob container of the records.',
      "set MicrosoftAppPassword=<the bot app's client secret> and retry",
      // Names that only hold a secret's word, not at their end, and the kinds and pages of tokens.
      'ToBotFromChannelTokenIssuer=https://api.botframework.com, tokenType=Bearer, skipToken=abc, nextToken: 2',
      'clientSecretExpiry=2026-12-01, passwordPolicy: strict, errorCode: Forbidden at 08:30:00',
    ];
    for (const s of readable) assert.equal(scrubString(s), s);
    // The start-up refusals that print each missing endpoint setting with its public value.
    for (const cloud of ['usgov', 'usgovdod', 'china'] as const) {
      const said = sovereignEndpointsProblem(cloud, {}, { appType: 'SingleTenant', appTenantId: '' });
      assert.ok(said !== null && said.includes('ToBotFromChannelTokenIssuer=https://'), String(said));
      assert.equal(scrubString(said), said);
    }
  });

  it('scrubs a megabyte of adversarial input in linear time', () => {
    const mb = 1 << 20;
    const inputs = [
      'a.'.repeat(mb / 2),
      'clientSecret'.repeat(mb / 12) + ':',
      'clientSecret='.repeat(mb / 13),
      "secret:'".repeat(mb / 8),
      'secret="' + 'x'.repeat(mb),
      '"secret":"'.repeat(mb / 10),
      'Password' + ' '.repeat(mb) + 'x:',
      'SECRET_a:<'.repeat(mb / 10),
      'a-'.repeat(mb / 2) + 'secret:',
      'secret' + '_'.repeat(mb) + 'x',
      'keyvalue-'.repeat(mb / 9),
    ];
    for (const s of inputs) {
      const started = process.hrtime.bigint();
      scrubString(s);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.ok(ms < 1500, `${s.slice(0, 16)}… (${s.length} characters) took ${ms} ms`);
    }
  });
});
