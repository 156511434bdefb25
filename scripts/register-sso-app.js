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
const { resolveDelegatedPermissions } = require('./graph-permissions');
const {
  DISPLAY_NAME,
  GUID,
  TEAMS_CLIENT_IDS,
  catalogPermissions,
  graphApplication,
  loadCatalog,
  toolkitManifest,
} = require('./sso-app-registration');
const { adminConsent, azCommands, cloudName, cloudRoots } = require('./sso-app-commands');

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
