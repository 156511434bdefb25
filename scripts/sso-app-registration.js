// The Entra app registration for Teams SSO, generated from the operation catalog: the Graph
// `application` body and the Agents Toolkit's Entra manifest (register-sso-app.js writes them).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { root } = require('./env-file');
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

module.exports = {
  DISPLAY_NAME,
  GUID,
  TEAMS_CLIENT_IDS,
  catalogPermissions,
  graphApplication,
  loadCatalog,
  toolkitManifest,
};
