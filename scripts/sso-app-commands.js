// The commands that apply the SSO app's registration in its cloud (register-sso-app.js prints
// them): Microsoft Graph's root and Entra's sign-in host as the bot takes them, the az calls, and
// the tenant-wide admin consent.
'use strict';
const path = require('node:path');
const { root } = require('./env-file');

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

module.exports = { adminConsent, azCommands, cloudName, cloudRoots };
