// Configuration of contract §2: read once at start, validated as a whole (every problem is
// listed at once), frozen. Variables not in the table are ignored.

import * as path from 'node:path';
import { cloudEndpoints, sovereignEndpointsProblem } from './configClouds';
import { publicOrigin } from './configPublicOrigin';
import { StorageSettings, storageSettings } from './configStorage';
import { configValue as value, type Env, isTenant, quotedUrl, quotedValue, standInProblem } from './configValues';
import { CLOUDS, Cloud, isGuid } from './domain/operations';
import { projectRoot } from './paths';

/** botbuilder's own endpoint settings, passed through unchanged. */
const BOTBUILDER_ENDPOINT_KEYS = [
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromChannelTokenIssuer',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'OAuthUrl',
  'CallerId',
  'ValidateAuthority',
] as const;

const URL_KEYS: ReadonlySet<string> = new Set([
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromChannelTokenIssuer',
  'ToChannelFromBotLoginUrl',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'OAuthUrl',
]);

const APP_TYPES = ['SingleTenant', 'MultiTenant', 'UserAssignedMSI'] as const;
export type AppType = (typeof APP_TYPES)[number];

export const CONFIG_KEYS = [
  'PORT',
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  ...BOTBUILDER_ENDPOINT_KEYS,
  'AAD_APP_CLIENT_ID',
  'AAD_APP_CLIENT_SECRET',
  'AAD_APP_TENANT_ID',
  'AAD_APP_OAUTH_AUTHORITY_HOST',
  'GRAPH_ENDPOINT',
  'CLOUD',
  'STATE_DIRECTORY',
  'STORAGE_CONNECTION_STRING',
  'STORAGE_BLOB_ENDPOINT',
  'STORAGE_QUEUE_ENDPOINT',
  'STORAGE_CONTAINER',
  'BOT_ENDPOINT',
  'ALERTS_ADMIN_GROUP_ID',
  // Set by App Service: the web app's default host, the bot's public origin when BOT_ENDPOINT is not.
  'WEBSITE_HOSTNAME',
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

export interface BotIdentity {
  readonly appId: string;
  readonly appPassword: string;
  readonly appType: AppType;
  readonly tenantId: string;
  /** Only the endpoint keys that were set (setting any of them switches botbuilder's mode). */
  readonly endpoints: Readonly<Record<string, string>>;
}

export interface SsoApp {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenantId: string;
}

export type { StorageAccess, StorageSettings } from './configStorage';

export interface Config {
  readonly mode: 'sandbox' | 'production';
  readonly storage: StorageSettings;
  readonly port: number;
  readonly cloud: Cloud;
  /** https root of Microsoft Graph, without a trailing slash. */
  readonly graphEndpoint: string;
  /** https Entra sign-in host for the on-behalf-of exchange, without a trailing slash. */
  readonly authorityHost: string;
  readonly bot: BotIdentity;
  /** Null in the sandbox until the launcher supplies the simulated tenant's app. */
  readonly sso: SsoApp | null;
  /**
   * The bot's public origin (BOT_ENDPOINT), where users' browsers open the sign-in pages; the
   * sandbox's is its own loopback URL. Null only in the sandbox launcher.
   */
  readonly publicBaseUrl: string | null;
  /** Where publicBaseUrl came from when BOT_ENDPOINT was not set (the start log warns), else null. */
  readonly publicBaseUrlAssumed: 'WEBSITE_HOSTNAME' | 'localhost' | null;
  /** Channel alerts: besides team owners, members of these Entra groups may change a channel's
   * subscriptions (ALERTS_ADMIN_GROUP_ID; empty when not set). */
  readonly alerts: { readonly adminGroupIds: readonly string[] };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Governance Bot cannot start; fix the configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'See the configuration table in README.md.',
    );
    this.name = 'ConfigError';
  }
}

export function readConfig(env: Env): Config {
  const problems: string[] = [];

  const portRaw = value(env, 'PORT');
  let port = 3978;
  if (portRaw !== undefined) {
    const n = Number(portRaw);
    if (!/^\d+$/.test(portRaw) || !Number.isInteger(n) || n < 1 || n > 65535) {
      problems.push(`PORT must be a whole number from 1 to 65535 ${quotedValue(portRaw)}.`);
    } else port = n;
  }

  const cloudRaw = value(env, 'CLOUD');
  let cloud: Cloud = 'global';
  if (cloudRaw !== undefined) {
    const c = CLOUDS.find((x) => x === cloudRaw.toLowerCase());
    if (!c) problems.push(`CLOUD must be one of ${CLOUDS.join(', ')} ${quotedValue(cloudRaw)}.`);
    else cloud = c;
  }

  const appId = value(env, 'MicrosoftAppId');
  const ssoClientId = value(env, 'AAD_APP_CLIENT_ID');
  const mode: Config['mode'] = appId === undefined && ssoClientId === undefined ? 'sandbox' : 'production';
  if (mode === 'production' && (appId === undefined || ssoClientId === undefined)) {
    problems.push(
      appId === undefined
        ? 'AAD_APP_CLIENT_ID is set but MicrosoftAppId is not: set both to run against a real tenant, or neither for the sandbox. Inbound authentication is never off while a real tenant is configured.'
        : 'MicrosoftAppId is set but AAD_APP_CLIENT_ID is not: set both to run against a real tenant, or neither for the sandbox. Inbound authentication is never off while a real tenant is configured.',
    );
  }

  const appTypeRaw = value(env, 'MicrosoftAppType');
  let appType: AppType = 'SingleTenant';
  if (appTypeRaw !== undefined) {
    const t = APP_TYPES.find((x) => x.toLowerCase() === appTypeRaw.toLowerCase());
    if (!t) problems.push(`MicrosoftAppType must be one of ${APP_TYPES.join(', ')} ${quotedValue(appTypeRaw)}.`);
    else appType = t;
  }
  const appPassword = value(env, 'MicrosoftAppPassword') ?? '';
  const appTenantId = value(env, 'MicrosoftAppTenantId') ?? '';

  const endpoints: Record<string, string> = {};
  for (const key of BOTBUILDER_ENDPOINT_KEYS) {
    const v = value(env, key);
    if (v === undefined) continue;
    if (URL_KEYS.has(key) && !/^https?:\/\/[^\s]+$/i.test(v)) {
      problems.push(`${key} must be an http(s) URL ${quotedUrl(v)}.`);
      continue;
    }
    if (key === 'ValidateAuthority' && !/^(true|false)$/i.test(v)) {
      problems.push(`ValidateAuthority must be true or false ${quotedValue(v)}.`);
      continue;
    }
    // botbuilder reads ValidateAuthority with JSON.parse (lowercase only; anything else is true).
    endpoints[key] = key === 'ValidateAuthority' ? v.toLowerCase() : v;
  }

  // A malformed value of a variable the outside contract lists (Graph's root, the sign-in host)
  // stops any start, the sandbox's too; the ones it does not list and the sandbox replaces (its
  // public origin, the alerts admin group) are read for a real tenant only (SANDBOX_IGNORED).
  const real = (key: ConfigKey): string | undefined => (mode === 'production' ? value(env, key) : undefined);
  const { authorityHost, graphEndpoint } = cloudEndpoints(
    cloud,
    value(env, 'AAD_APP_OAUTH_AUTHORITY_HOST'),
    value(env, 'GRAPH_ENDPOINT'),
    problems,
  );

  const storage = storageSettings(
    env,
    path.join(projectRoot(), '.data', 'state'),
    { appType, appId, production: mode === 'production' },
    problems,
  );

  const origin = publicOrigin(env, real('BOT_ENDPOINT'), mode === 'production', port, problems);

  // The tenants are listed variables: a malformed one stops the sandbox's start too (contract §2),
  // though only a real tenant needs them set.
  const tenantRequired = mode === 'production' && appType !== 'MultiTenant';
  if ((tenantRequired || appTenantId !== '') && !isTenant(appTenantId)) {
    const when = appType === 'MultiTenant' ? '' : ` when MicrosoftAppType is ${appType}`;
    problems.push(`MicrosoftAppTenantId must be the bot's tenant id (a GUID or domain)${when}.`);
  }
  const ssoTenant = value(env, 'AAD_APP_TENANT_ID');
  if (mode === 'production' && ssoTenant === undefined) {
    problems.push('AAD_APP_TENANT_ID is required: the tenant id (a GUID or domain) of the SSO app.');
  } else if (ssoTenant !== undefined && !isTenant(ssoTenant)) {
    // Set, so not "required": say what it must be (the value is not shown: it may be a pasted secret).
    problems.push(
      "AAD_APP_TENANT_ID must be the SSO app's own tenant: its tenant id (a GUID) or a domain such as contoso.onmicrosoft.com, not a URL, nor common, organizations or consumers.",
    );
  }

  let sso: SsoApp | null = null;
  if (mode === 'production') {
    if (appId !== undefined && !isGuid(appId)) problems.push('MicrosoftAppId must be a GUID (the Azure Bot app id).');
    if (appType === 'UserAssignedMSI' && appPassword !== '') {
      problems.push('MicrosoftAppPassword must be empty when MicrosoftAppType is UserAssignedMSI.');
    }
    if (appType !== 'UserAssignedMSI' && appPassword === '') {
      problems.push(
        `MicrosoftAppPassword (or SECRET_MicrosoftAppPassword) is required when MicrosoftAppType is ${appType}.`,
      );
    }
    const standIn = standInProblem(env);
    if (standIn) problems.push(standIn);
    const sovereign = sovereignEndpointsProblem(cloud, endpoints, { appType, appTenantId });
    if (sovereign) problems.push(sovereign);
    if (ssoClientId !== undefined && !isGuid(ssoClientId)) problems.push('AAD_APP_CLIENT_ID must be a GUID.');
    const ssoSecret = value(env, 'AAD_APP_CLIENT_SECRET');
    if (ssoSecret === undefined) problems.push('AAD_APP_CLIENT_SECRET (or SECRET_AAD_APP_CLIENT_SECRET) is required.');
    if (ssoClientId && ssoSecret && ssoTenant)
      sso = { clientId: ssoClientId, clientSecret: ssoSecret, tenantId: ssoTenant };
  }

  // The sandbox's bot uses the demo's group instead (sandbox/start.ts): a value it ignores never
  // stops it, whatever its shape (the launcher says it is ignored).
  const adminGroupsRaw = real('ALERTS_ADMIN_GROUP_ID');
  const adminGroupIds = (adminGroupsRaw ?? '')
    .split(',')
    .map((g) => g.trim().toLowerCase())
    .filter((g) => g !== '');
  if (adminGroupIds.some((g) => !isGuid(g)) || adminGroupIds.length > 20) {
    problems.push(
      'ALERTS_ADMIN_GROUP_ID must be the object id (a GUID) of an Entra group, or up to 20 separated by commas; leave it empty (or unset) for team owners only.',
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    mode,
    storage: Object.freeze(storage),
    port,
    cloud,
    graphEndpoint,
    authorityHost,
    bot: Object.freeze({
      appId: mode === 'production' ? (appId ?? '') : '',
      appPassword: mode === 'production' ? appPassword : '',
      appType,
      tenantId: appTenantId,
      endpoints: Object.freeze(endpoints),
    }),
    sso,
    publicBaseUrl: mode === 'production' ? origin.publicBaseUrl : null,
    publicBaseUrlAssumed: origin.assumed,
    alerts: Object.freeze({ adminGroupIds: Object.freeze([...new Set(adminGroupIds)]) }),
  });
}

/** Listed variables the sandbox does not use, so never checks: a real tenant's value means
 * nothing in the simulated one. */
const SANDBOX_IGNORED: readonly ConfigKey[] = ['ALERTS_ADMIN_GROUP_ID', 'BOT_ENDPOINT'];

/** Listed variables the sandbox checks (contract §2) but replaces with the simulated tenant's own
 * (withSandboxTenant), so a well-formed value is used by nothing. */
const SANDBOX_REPLACED: readonly ConfigKey[] = ['AAD_APP_OAUTH_AUTHORITY_HOST', 'GRAPH_ENDPOINT'];

/** The variables set in `env` that the sandbox ignores (their names only: a value may be a secret
 * pasted into the wrong variable). A malformed replaced one stops the start with its own words. */
export function ignoredInSandbox(env: Env): ConfigKey[] {
  const problems: string[] = [];
  cloudEndpoints('global', value(env, 'AAD_APP_OAUTH_AUTHORITY_HOST'), value(env, 'GRAPH_ENDPOINT'), problems);
  const replaced = SANDBOX_REPLACED.filter(
    (key) => value(env, key) !== undefined && !problems.some((p) => p.startsWith(`${key} `)),
  );
  return [...SANDBOX_IGNORED.filter((key) => value(env, key) !== undefined), ...replaced];
}

/**
 * The sandbox launcher hands the bot process the simulated tenant's coordinates; the sign-in
 * pages are at the bot's own loopback URL (the sandbox bot listens on `host`).
 */
export function withSandboxTenant(config: Config, tenantUrl: string, app: SsoApp, host = '127.0.0.1'): Config {
  if (config.mode !== 'sandbox') throw new Error('The simulated tenant is only for the sandbox.');
  return Object.freeze({
    ...config,
    graphEndpoint: tenantUrl,
    authorityHost: tenantUrl,
    sso: app,
    publicBaseUrl: `http://${host}:${config.port}`,
  });
}
