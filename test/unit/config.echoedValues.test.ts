// A start-up refusal goes to the console and the platform's logs, where no secret may go. A value
// set in the wrong variable (an `.env` line shifted by one, a secret pasted under the name above
// it) is refused there: the refusal names the variable, and shows the value only when it is short
// and plain enough that it cannot be a secret: an Entra client secret is a long random string
// (the app registration's "Certificates & secrets" page shows its value once), a storage account
// key is 88 base64 characters (a 512-bit key).

import { strict as assert } from 'node:assert';
import { configProblems as problems } from '../fixtures/configEnv';

const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const production = {
  MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
  MicrosoftAppPassword: 'bot-secret-value',
  MicrosoftAppTenantId: TENANT,
  AAD_APP_CLIENT_ID: '66666666-7777-8888-9999-000000000000',
  AAD_APP_CLIENT_SECRET: 'sso-secret-value',
  AAD_APP_TENANT_ID: TENANT,
  BOT_ENDPOINT: 'https://governance-bot.contoso.net',
};
const SECRETS = [
  'Abc8Q~dEfGhIjKlMnOpQrStUvWxYz0123456789a',
  'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmE+/A==',
];
const VARIABLES = ['PORT', 'CLOUD', 'MicrosoftAppType', 'ValidateAuthority', 'STORAGE_CONTAINER'];

describe('readConfig: a secret set in the wrong variable', () => {
  for (const key of VARIABLES) {
    it(`${key}: refused, named, its value not shown`, () => {
      for (const secret of SECRETS) {
        const storage: Record<string, string> =
          key === 'STORAGE_CONTAINER' ? { STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' } : {};
        const said = problems({ ...production, ...storage, [key]: secret }).join('\n');
        assert.match(said, new RegExp(`${key} must be`));
        assert.ok(!said.includes(secret), said);
        assert.ok(!said.includes(secret.slice(0, 12)), said);
      }
    });
  }

  it('a short plain value is still shown, to see the typo', () => {
    assert.match(problems({ ...production, CLOUD: 'usgov-high' }).join('\n'), /"usgov-high"/);
    assert.match(problems({ ...production, PORT: '80a' }).join('\n'), /"80a"/);
    assert.match(problems({ ...production, MicrosoftAppType: 'SingleTenent' }).join('\n'), /"SingleTenent"/);
  });
});
