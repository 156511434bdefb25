#!/usr/bin/env node
// The Entra app registration for Teams SSO, generated from the operation catalog
// (dist/src/domain/operations.js: build first). What Teams needs of it is documented in
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/authentication/bot-sso-register-aad:
// Application ID URI api://botid-{botId}, the scope access_as_user, and the Teams clients
// pre-authorized. Added here: exactly the catalog's delegated Microsoft Graph permissions (each
// operation's least-privileged permission, its self-service permission and both reads'), the
// redirect URI of the bot's sign-in page (https://{BOT_DOMAIN}/auth/end, a Web platform: the bot
// redeems the code on the server), and the app role Notifications.Send that senders of
// /api/notifications are assigned.
//
//   node scripts/register-sso-app.js [--env dev]     writes infra/build/sso-app.<env>*.json and
//                                                    prints the az commands that apply them to
//                                                    the app AAD_APP_CLIENT_ID names
//   node scripts/register-sso-app.js --toolkit       writes infra/aad.manifest.json, the manifest
//                                                    the Agents Toolkit's aadApp/update applies
//   node scripts/register-sso-app.js --json --bot-id <guid> --bot-domain <host>
//                                                    prints the Graph application body
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { readEnvironment, parseArgs, root } = require('./env-file');
const { MICROSOFT_GRAPH_APP_ID, resolveDelegatedPermissions } = require('./graph-permissions');

/** Teams desktop/mobile and Teams web (the two clients of the Teams SSO registration page). */
const TEAMS_CLIENT_IDS = ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346'];
// Fixed ids keep the registration idempotent: re-applying it never creates a second scope or role.
const ACCESS_AS_USER_SCOPE_ID = '2113dfd8-6116-49d1-8e97-89acf2e4d8cc';
const NOTIFICATIONS_SEND_ROLE_ID = '7f981809-4f2b-4996-a445-545f9b176da4';
const DISPLAY_NAME = 'Governance Bot';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SCOPE_TEXT = {
  adminConsentDisplayName: 'Teams can call Governance Bot as the signed-in user',
  adminConsentDescription: 'Lets Microsoft Teams hand Governance Bot a token for the signed-in user (single sign-on).',
  userConsentDisplayName: 'Let Teams sign you in to Governance Bot',
  userConsentDescription: 'Lets Microsoft Teams sign you in to Governance Bot, which acts with your own rights.',
};
const ROLE_TEXT = {
  displayName: 'Send Governance Bot notifications',
  description: 'Post events to Governance Bot /api/notifications, which turns them into Teams cards.',
};

/** The built catalog; `catalogFile` (a module exporting CATALOG) stands in for it in tests. */
function loadCatalog(catalogFile) {
  if (catalogFile) return require(path.resolve(catalogFile)).CATALOG;
  const file = path.join(root, 'dist', 'src', 'domain', 'operations.js');
  if (!fs.existsSync(file))
    throw new Error('dist/ is missing: run `npm run build` first (the catalog is read from it).');
  return require(file).CATALOG;
}

/** The permissions the bot uses beyond the catalog's operations (BOT_PERMISSIONS in
 * src/domain/rights.ts, read from the build like the catalog). */
function loadBotPermissions() {
  const file = path.join(root, 'dist', 'src', 'domain', 'rights.js');
  if (!fs.existsSync(file))
    throw new Error('dist/ is missing: run `npm run build` first (the permissions are read from it).');
  return require(file).BOT_PERMISSIONS;
}

/** Every permission named under a catalog entry's `read` (an object, or several). */
function readPermissions(read) {
  if (Array.isArray(read)) return read.flatMap(readPermissions);
  if (!read || typeof read !== 'object') return [];
  const out = [];
  for (const [key, value] of Object.entries(read)) {
    if (key === 'permission' && typeof value === 'string') out.push(value);
    else if (key === 'permissions' && Array.isArray(value)) out.push(...value.filter((v) => typeof v === 'string'));
    else if (value && typeof value === 'object') out.push(...readPermissions(value));
  }
  return out;
}

/**
 * The catalog's delegated permissions, sorted: each entry's least-privileged one, its reads, and
 * the self-service way in (a requester acting on their own item) with its read.
 */
function catalogPermissions(catalog, botPermissions = loadBotPermissions()) {
  const names = new Set(botPermissions);
  for (const spec of Object.values(catalog)) {
    names.add(spec.permission.least);
    for (const p of readPermissions(spec.read)) names.add(p);
    if (spec.selfService) {
      names.add(spec.selfService.permission.least);
      for (const p of readPermissions(spec.selfService.read)) names.add(p);
    }
  }
  return [...names].sort();
}

function scope() {
  return { ...SCOPE_TEXT, id: ACCESS_AS_USER_SCOPE_ID, isEnabled: true, type: 'User', value: 'access_as_user' };
}

function appRole() {
  return {
    ...ROLE_TEXT,
    allowedMemberTypes: ['Application'],
    id: NOTIFICATIONS_SEND_ROLE_ID,
    isEnabled: true,
    value: 'Notifications.Send',
  };
}

function requiredResourceAccess(permissions) {
  return [
    {
      resourceAppId: MICROSOFT_GRAPH_APP_ID,
      resourceAccess: resolveDelegatedPermissions(permissions).map(({ id }) => ({ id, type: 'Scope' })),
    },
  ];
}

/**
 * The Microsoft Graph `application` body (https://learn.microsoft.com/graph/api/resources/application)
 * in two PATCHes: a pre-authorization may only name a scope that already exists.
 */
function graphApplication({ botId, botDomain, permissions, nameSuffix = '' }) {
  const api = { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [scope()] };
  const app = {
    displayName: `${DISPLAY_NAME}${nameSuffix}`,
    signInAudience: 'AzureADMyOrg',
    identifierUris: [`api://botid-${botId}`],
    api,
    appRoles: [appRole()],
    web: {
      redirectUris: [`https://${botDomain}/auth/end`],
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
    },
    requiredResourceAccess: requiredResourceAccess(permissions),
  };
  const preAuthorize = {
    api: {
      ...api,
      preAuthorizedApplications: TEAMS_CLIENT_IDS.map((appId) => ({
        appId,
        delegatedPermissionIds: [ACCESS_AS_USER_SCOPE_ID],
      })),
    },
  };
  return { app, preAuthorize };
}

/**
 * The Agents Toolkit's Microsoft Entra manifest (the format of aadApp/update,
 * https://learn.microsoft.com/microsoftteams/platform/toolkit/aad-manifest-customization),
 * with ${{VAR}} placeholders the Toolkit fills from the environment at provision time.
 */
function toolkitManifest(permissions) {
  return {
    id: '${{AAD_APP_OBJECT_ID}}',
    appId: '${{AAD_APP_CLIENT_ID}}',
    name: `${DISPLAY_NAME}\${{APP_NAME_SUFFIX}}`,
    accessTokenAcceptedVersion: 2,
    signInAudience: 'AzureADMyOrg',
    oauth2AllowIdTokenImplicitFlow: false,
    oauth2AllowImplicitFlow: false,
    identifierUris: ['api://botid-${{BOT_ID}}'],
    oauth2Permissions: [scope()],
    preAuthorizedApplications: TEAMS_CLIENT_IDS.map((appId) => ({ appId, permissionIds: [ACCESS_AS_USER_SCOPE_ID] })),
    appRoles: [appRole()],
    replyUrlsWithType: [{ url: 'https://${{BOT_DOMAIN}}/auth/end', type: 'Web' }],
    requiredResourceAccess: requiredResourceAccess(permissions),
  };
}

/** The cloud CLOUD names, read as the bot reads it: in any case, empty or unset meaning global. */
function cloudName(raw) {
  return (raw ?? '').trim().toLowerCase() || 'global';
}

/**
 * Microsoft Graph's root and Entra's sign-in host as the bot takes them (src/configClouds.ts): those
 * of the cloud named by CLOUD, or GRAPH_ENDPOINT and AAD_APP_OAUTH_AUTHORITY_HOST when set, refused
 * with the bot's own words when it would refuse them. `custom`: the sign-in host is not the cloud's.
 */
function cloudRoots(cloud, vars) {
  const { CLOUD_ENDPOINTS, cloudEndpoints } = require(path.join(root, 'dist', 'src', 'configClouds.js'));
  const { configValue } = require(path.join(root, 'dist', 'src', 'configValues.js'));
  const endpoints = Object.prototype.hasOwnProperty.call(CLOUD_ENDPOINTS, cloud) ? CLOUD_ENDPOINTS[cloud] : undefined;
  if (!endpoints) throw new Error(`CLOUD must be one of ${Object.keys(CLOUD_ENDPOINTS).join(', ')}.`);
  const problems = [];
  const given = cloudEndpoints(
    cloud,
    configValue(vars, 'AAD_APP_OAUTH_AUTHORITY_HOST'),
    configValue(vars, 'GRAPH_ENDPOINT'),
    problems,
  );
  if (problems.length > 0) throw new Error(problems.join(' '));
  return {
    graph: given.graphEndpoint,
    authority: given.authorityHost,
    custom: given.authorityHost !== endpoints.authority,
  };
}

/**
 * The tenant-wide admin consent step. `az ad app permission admin-consent` calls a portal-internal
 * endpoint that exists only in the global cloud (the command refuses the others); elsewhere an
 * administrator opens the admin consent URL Microsoft documents for every cloud:
 * https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent#construct-the-url-for-granting-tenant-wide-admin-consent
 */
function adminConsent({ cloud, authority, custom, tenantId, clientId }) {
  if (cloud === 'global' && !custom) return ['az ad app permission admin-consent --id "$APP_ID"'];
  const tenant = tenantId || 'organizations';
  return [
    '# Admin consent (the Azure CLI grants it in the global cloud only): open this URL as an administrator',
    '# who may grant tenant-wide consent, and accept.',
    `echo "${authority}/${tenant}/adminconsent?client_id=${clientId}"`,
  ];
}

/**
 * The commands that apply the registration. `az rest` gets a token only for a URL that starts with
 * one of its cloud's endpoints, and its US Government cloud knows graph.microsoft.us but not DoD's
 * Graph, so each call names the resource (https://learn.microsoft.com/cli/azure/reference-index#az-rest).
 */
function azCommands({ env, appFile, preAuthorizeFile, graph, clientId, consent }) {
  const uri = `${graph}/v1.0/applications(appId='$APP_ID')`;
  const patch = (file) =>
    `az rest --method PATCH --uri "${uri}" --resource "${graph}" --headers Content-Type=application/json --body @${file}`;
  // The service principal (what consent is granted to), through the same Graph: `az ad sp` would
  // call the CLI cloud's Graph, the L4 one in its US Government cloud, not DoD's. Created only when
  // the read finds none (https://learn.microsoft.com/graph/api/serviceprincipal-get,
  // https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals).
  const servicePrincipal =
    `az rest --method GET --uri "${graph}/v1.0/servicePrincipals(appId='$APP_ID')" --resource "${graph}" >/dev/null 2>&1` +
    ` || az rest --method POST --uri "${graph}/v1.0/servicePrincipals" --resource "${graph}"` +
    ' --headers Content-Type=application/json --body "{\\"appId\\":\\"$APP_ID\\"}"';
  return [
    `# Governance Bot SSO app for environment "${env}" (az login first; in a US Government cloud, az cloud set first).`,
    `APP_ID=${clientId}`,
    patch(appFile),
    patch(preAuthorizeFile),
    servicePrincipal,
    ...consent,
  ].join('\n');
}

/** How to create the app first: the Bicep deployment needs its client id and secret. */
const CREATE_FIRST = [
  'AAD_APP_CLIENT_ID is not set. Create the app first, then deploy, then run this again:',
  `  az ad app create --display-name "${DISPLAY_NAME}" --sign-in-audience AzureADMyOrg --query appId -o tsv`,
  '  az ad app credential reset --id <that appId> --display-name governance-bot --query password -o tsv',
  'Put the first as AAD_APP_CLIENT_ID in env/.env.<env> and the second as SECRET_AAD_APP_CLIENT_SECRET in env/.env.<env>.user.',
].join('\n');

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const permissions = catalogPermissions(loadCatalog(opts.catalog));
  if (opts.toolkit) {
    const text = JSON.stringify(toolkitManifest(permissions), null, 2) + '\n';
    if (opts.stdout) return void process.stdout.write(text);
    fs.writeFileSync(path.join(root, 'infra', 'aad.manifest.json'), text);
    return void console.log('Wrote infra/aad.manifest.json');
  }
  const env = opts.env ?? 'dev';
  const vars = opts.botId ? {} : readEnvironment({ env, envFile: opts.envFile }).vars;
  const botId = opts.botId ?? vars.BOT_ID;
  const botDomain = opts.botDomain ?? vars.BOT_DOMAIN;
  const missing = [!botId && 'BOT_ID', !botDomain && 'BOT_DOMAIN'].filter(Boolean);
  if (missing.length > 0)
    throw new Error(`Set ${missing.join(' and ')} in env/.env.${env} (the provision step writes them).`);
  if (!GUID.test(botId)) throw new Error('BOT_ID must be the Azure Bot app id (a GUID).');
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(botDomain))
    throw new Error('BOT_DOMAIN must be a host name, without https:// or a path.');
  const { app, preAuthorize } = graphApplication({ botId, botDomain, permissions, nameSuffix: vars.APP_NAME_SUFFIX });
  if (opts.json) {
    const named = resolveDelegatedPermissions(permissions);
    return void process.stdout.write(JSON.stringify({ app, preAuthorize, permissions: named }, null, 2) + '\n');
  }
  const dir = path.join(root, 'infra', 'build');
  fs.mkdirSync(dir, { recursive: true });
  const appFile = path.join('infra', 'build', `sso-app.${env}.json`);
  const preAuthorizeFile = path.join('infra', 'build', `sso-app.${env}.preauthorize.json`);
  fs.writeFileSync(path.join(root, appFile), JSON.stringify(app, null, 2) + '\n');
  fs.writeFileSync(path.join(root, preAuthorizeFile), JSON.stringify(preAuthorize, null, 2) + '\n');
  if (!vars.AAD_APP_CLIENT_ID) throw new Error(CREATE_FIRST);
  // Both go into the printed shell commands: only values the bot itself would take (config.ts).
  if (!GUID.test(vars.AAD_APP_CLIENT_ID)) throw new Error('AAD_APP_CLIENT_ID must be the SSO app id (a GUID).');
  const { isTenant } = require(path.join(root, 'dist', 'src', 'configValues.js'));
  if (vars.AAD_APP_TENANT_ID && !isTenant(vars.AAD_APP_TENANT_ID))
    throw new Error('AAD_APP_TENANT_ID must be the tenant id of the SSO app (a GUID or domain).');
  const cloud = cloudName(vars.CLOUD);
  const { graph, authority, custom } = cloudRoots(cloud, vars);
  const clientId = vars.AAD_APP_CLIENT_ID;
  const consent = adminConsent({ cloud, authority, custom, tenantId: vars.AAD_APP_TENANT_ID, clientId });
  console.log(azCommands({ env, appFile, preAuthorizeFile, graph, clientId, consent }));
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(`register-sso-app: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}

module.exports = { catalogPermissions, graphApplication, toolkitManifest, TEAMS_CLIENT_IDS };
