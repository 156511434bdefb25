// The organization the bot serves: activities naming another tenant are refused
// (strictAuthentication.ts). It is the SSO app's tenant (else the bot's), when configured as a
// GUID: a tenant configured by its domain name cannot be compared with the GUID every activity
// carries, so the check is then off, and the operator is told so once at start rather than left to
// believe it holds.

import type { Logger } from 'pino';
import { Config } from '../config';
import { isGuid } from '../domain/operations';

export function servedTenantOf(config: Config, logger: Logger): string | null {
  const tenant = servedTenantGuid(config);
  if (tenant !== null) return tenant;
  // With inbound authentication off (the sandbox) no activity is checked anyway.
  if (config.bot.appId !== '') {
    logger.warn(
      { event: 'config.tenant.notGuid' },
      'AAD_APP_TENANT_ID is not a tenant GUID: activities from other tenants are not refused. Set the tenant ID (a GUID) to refuse them.',
    );
  }
  return null;
}

/** The served tenant as a GUID, or null, without the warning: for the senders, which refuse
 * references of other tenants by the same rule (notifications/foreignTenant.ts). */
export function servedTenantGuid(config: Config): string | null {
  const tenant = config.sso?.tenantId ?? config.bot.tenantId;
  return isGuid(tenant) ? tenant : null;
}
