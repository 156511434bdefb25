// A real tenant half given: its other identity variables set while MicrosoftAppId and
// AAD_APP_CLIENT_ID are not (a name misspelt, a line missing from the .env). Contract §1 starts the
// sandbox then; its start says so, naming what was set, so nobody takes the simulated tenant
// for their own.

import type { ConfigKey } from './config';
import { configValue, type Env } from './configValues';

/** The identity variables of a real tenant besides the two that select it (contract §2). */
const REAL_TENANT_IDENTITY: readonly ConfigKey[] = [
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'AAD_APP_CLIENT_SECRET',
  'AAD_APP_TENANT_ID',
];

/** The names (never the values) of those set in `env` when neither MicrosoftAppId nor
 * AAD_APP_CLIENT_ID is: empty when none is, or when the real tenant is selected. */
export function realTenantHalfGiven(env: Env): ConfigKey[] {
  if (configValue(env, 'MicrosoftAppId') !== undefined || configValue(env, 'AAD_APP_CLIENT_ID') !== undefined)
    return [];
  return REAL_TENANT_IDENTITY.filter((key) => configValue(env, key) !== undefined);
}

/** The sandbox banner's lines about them (none when nothing was half given). */
export function realTenantHalfGivenLines(env: Env): string[] {
  const set = realTenantHalfGiven(env);
  if (set.length === 0) return [];
  return [
    ` NOT YOUR TENANT: ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set, but MicrosoftAppId and AAD_APP_CLIENT_ID`,
    ' are not, so this is the sandbox. To run against your tenant, set both (README "Configuration").',
  ];
}
