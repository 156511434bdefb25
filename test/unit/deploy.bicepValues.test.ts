import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readConfig } from '../../src/config';
import { projectRoot } from '../../src/paths';
import { END_PATH } from '../../src/auth/signInPages';

// infra/azure.bicep read as the web app will see it: each app setting's own expression, with what
// Azure fills in at deployment standing in for its references. test/unit/infra.test.ts checks the
// setting names with sample values; this checks the values the template actually writes.

const root = projectRoot();
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');
const bicep = read('infra/azure.bicep');

const BOT_APP_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SSO_APP_ID = '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
// The SSO app's tenant parameter stands apart from the identity's tenant, so that a property wired
// to the wrong one shows (in a deployment both are the one tenant).
const SSO_TENANT = 'bbbbbbbb-cccc-dddd-eeee-ffffffffffff';
const HOST = 'governance-bot.azurewebsites.net';

/** The default value of a template parameter (a quoted string), or undefined. */
function paramDefault(name: string): string | undefined {
  return new RegExp(`^param ${name} string = '([^']*)'$`, 'm').exec(bicep)?.[1];
}

/** What Azure resolves each reference the template uses to (a deployment's values, by shape). */
const REFERENCES: Record<string, string> = {
  'identity.properties.clientId': BOT_APP_ID,
  'identity.properties.tenantId': TENANT,
  aadAppClientId: SSO_APP_ID,
  aadAppClientSecret: 'sso-secret',
  aadAppTenantId: SSO_TENANT,
  alertsAdminGroupId: paramDefault('alertsAdminGroupId') ?? '<no default>',
  'stateContainer.name': paramDefault('stateContainerName') ?? '<no default>',
  'web.properties.defaultHostName': HOST,
  'storage.name': 'governancebotq4x2',
  // primaryEndpoints end with a slash (https://learn.microsoft.com/azure/templates/microsoft.storage/storageaccounts).
  'storage.properties.primaryEndpoints.blob': 'https://governancebotq4x2.blob.core.windows.net/',
  'storage.properties.primaryEndpoints.queue': 'https://governancebotq4x2.queue.core.windows.net/',
};

/** The value of a Bicep expression: a string literal with ${…} references, a reference, or
 * `<reference> == '<literal>' ? <expression> : <expression>` (`=~`: equal in any case,
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/operators-comparison). */
function evaluate(expr: string): string {
  const choice = /^([\w.]+) (==|=~) '([^']*)' \? (.+) : (.+)$/.exec(expr.trim());
  if (choice) {
    const [, ref, op, literal, then, otherwise] = choice as unknown as [string, string, string, string, string, string];
    const value = evaluate(ref);
    const equal = op === '==' ? value === literal : value.toLowerCase() === literal.toLowerCase();
    return equal ? evaluate(then) : evaluate(otherwise);
  }
  const literal = /^'(.*)'$/.exec(expr.trim());
  const resolve = (ref: string): string => {
    if (ref in REFERENCES) return REFERENCES[ref]!;
    const variable = new RegExp(`^var ${ref.replace(/[.()[\]]/g, '\\$&')} = (.+)$`, 'm').exec(bicep);
    assert.ok(variable, `add what Azure resolves ${ref} to, to REFERENCES in this test`);
    return evaluate(variable[1]!);
  };
  if (!literal) return resolve(expr.trim());
  return literal[1]!.replace(/\$\{([^}]+)\}/g, (_, ref: string) => resolve(ref));
}

/** Each app setting of the web app's sites/config 'appsettings' resource and its Bicep expression. */
function appSettingExpressions(): Map<string, string> {
  const block = /name: 'appsettings'\s*properties: \{([\s\S]*?)\n {2}\}/.exec(bicep);
  assert.ok(block, "infra/azure.bicep has a sites/config 'appsettings' resource");
  return new Map([...block[1]!.matchAll(/^\s*(\w+): (.+)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

/** The Bicep expression of a property inside one resource's body (first match). */
function propertyOf(resourceType: string, property: string): string {
  const start = bicep.indexOf(`'${resourceType}@`);
  assert.ok(start >= 0, `infra/azure.bicep declares ${resourceType}`);
  const next = bicep.indexOf('\nresource ', start);
  const body = bicep.slice(start, next < 0 ? undefined : next);
  const line = new RegExp(`^\\s*${property}: (.+)$`, 'm').exec(body);
  assert.ok(line, `${resourceType} sets ${property}`);
  return line[1]!.trim();
}

const output = (name: string): string => {
  const line = new RegExp(`^output ${name} string = (.+)$`, 'm').exec(bicep);
  assert.ok(line, `infra/azure.bicep outputs ${name}`);
  return line[1]!.trim();
};

describe('deploy: the values infra/azure.bicep gives the web app and the Azure Bot', () => {
  // A bot whose identity is a user-assigned managed identity: MicrosoftAppType UserAssignedMSI,
  // MicrosoftAppId the identity's client id, MicrosoftAppTenantId its tenant, no password.
  // https://learn.microsoft.com/azure/bot-service/provision-and-publish-a-bot
  // App Service sets PORT and WEBSITE_HOSTNAME itself:
  // https://learn.microsoft.com/azure/app-service/reference-app-settings#app-environment
  it('starts the bot in production with exactly the values the template writes', () => {
    const env: Record<string, string> = {
      PORT: '8080',
      WEBSITE_HOSTNAME: HOST,
      IDENTITY_ENDPOINT: 'http://localhost:42356/msi/token',
      IDENTITY_HEADER: 'header',
    };
    for (const [name, expr] of appSettingExpressions()) env[name] = evaluate(expr);
    const config = readConfig(env); // throws, naming each malformed or missing variable
    assert.equal(config.mode, 'production');
    assert.deepEqual(
      { appId: config.bot.appId, appType: config.bot.appType, tenantId: config.bot.tenantId },
      { appId: BOT_APP_ID, appType: 'UserAssignedMSI', tenantId: TENANT },
    );
    assert.equal(config.bot.appPassword, '', 'no bot secret: the managed identity is the bot');
    assert.deepEqual(config.sso, { clientId: SSO_APP_ID, clientSecret: 'sso-secret', tenantId: SSO_TENANT });
    assert.equal(config.storage.kind, 'blobs', 'one store shared by every instance');
    if (config.storage.kind === 'blobs') {
      assert.equal(config.storage.container, 'governance-bot');
      // Keyless, as the bot's own identity (the template's role assignments authorize it).
      assert.deepEqual(config.storage.access, {
        kind: 'managedIdentity',
        blobEndpoint: 'https://governancebotq4x2.blob.core.windows.net',
        queueEndpoint: 'https://governancebotq4x2.queue.core.windows.net',
        clientId: BOT_APP_ID,
      });
    }
    assert.equal(config.publicBaseUrl, `https://${HOST}`, 'the sign-in pages are on the web app');
    assert.deepEqual(config.alerts.adminGroupIds, []);
  });

  // The Agents Toolkit passes ALERTS_ADMIN_GROUP_ID of env/.env.dev as alertsAdminGroupId; its
  // "team owners only" is a word there, since an empty variable stops provision.
  it('turns the environment file’s "team owners only" into no admin group, and passes a group through', () => {
    const fromFile = /^ALERTS_ADMIN_GROUP_ID=(.*)$/m.exec(read('env/.env.dev'))?.[1];
    assert.ok(fromFile, 'env/.env.dev gives ALERTS_ADMIN_GROUP_ID a value');
    const group = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
    const expression = appSettingExpressions().get('ALERTS_ADMIN_GROUP_ID')!;
    const saved = REFERENCES.alertsAdminGroupId!;
    try {
      const settingFor = (parameter: string): string => {
        REFERENCES.alertsAdminGroupId = parameter;
        return evaluate(expression);
      };
      assert.equal(settingFor(fromFile), '');
      // Written in another case, the word still means no group: passed through, the bot would
      // refuse to start (ALERTS_ADMIN_GROUP_ID must be GUIDs) on a deployment that succeeded.
      assert.equal(settingFor('None'), '', 'None');
      assert.equal(settingFor('NONE'), '', 'NONE');
      assert.equal(settingFor(''), '', 'the parameter’s default (the Azure CLI way)');
      assert.equal(settingFor(group), group);
      assert.equal(settingFor(`${group},${group.replace('3f', '4f')}`), `${group},${group.replace('3f', '4f')}`);
    } finally {
      REFERENCES.alertsAdminGroupId = saved;
    }
  });

  // The Azure Bot and the web app name one identity: msaAppId, msaAppTenantId and
  // msaAppMSIResourceId of botServices (https://learn.microsoft.com/azure/templates/microsoft.botservice/botservices),
  // and the manifest's botId is the BOT_ID output.
  it('gives the Azure Bot, the app settings and the BOT_ID output the same identity', () => {
    const settings = appSettingExpressions();
    assert.equal(evaluate(propertyOf('Microsoft.BotService/botServices', 'msaAppId')), BOT_APP_ID);
    assert.equal(evaluate(settings.get('MicrosoftAppId')!), BOT_APP_ID);
    assert.equal(evaluate(output('BOT_ID')), BOT_APP_ID);
    assert.equal(evaluate(propertyOf('Microsoft.BotService/botServices', 'msaAppTenantId')), TENANT);
    assert.equal(evaluate(settings.get('MicrosoftAppTenantId')!), TENANT);
    assert.equal(propertyOf('Microsoft.BotService/botServices', 'msaAppMSIResourceId'), 'identity.id');
    assert.equal(evaluate(propertyOf('Microsoft.BotService/botServices', 'msaAppType')), 'UserAssignedMSI');
    // The web app runs as that identity, or the platform's token endpoint has no such client id.
    assert.match(bicep, /type: 'UserAssigned'\s*userAssignedIdentities: \{\s*'\$\{identity\.id\}': \{\}/);
  });

  // Teams posts to the messaging endpoint; the sign-in end page is the SSO app's redirect URI
  // (a Web platform redirect: https://learn.microsoft.com/entra/identity-platform/reply-url).
  it('points the messaging endpoint, BOT_ENDPOINT, BOT_DOMAIN and the SSO redirect URI at one host', () => {
    const settings = appSettingExpressions();
    const origin = evaluate(settings.get('BOT_ENDPOINT')!);
    assert.equal(origin, `https://${evaluate(output('BOT_DOMAIN'))}`);
    assert.equal(evaluate(propertyOf('Microsoft.BotService/botServices', 'endpoint')), `${origin}/api/messages`);
    assert.match(read('src/server.ts'), /server\.post\('\/api\/messages'/, 'the bot answers there');
    const aad = JSON.parse(read('infra/aad.manifest.json')) as { replyUrlsWithType: Array<{ url: string }> };
    const registered = aad.replyUrlsWithType.map((u) =>
      u.url.replace('${{BOT_DOMAIN}}', evaluate(output('BOT_DOMAIN'))),
    );
    assert.deepEqual(registered, [`${origin}${END_PATH}`], 'Entra returns only to a registered redirect URI');
  });

  // Node on App Service for Linux: linuxFxVersion NODE|<major>-lts and a start command
  // (https://learn.microsoft.com/azure/app-service/configure-language-nodejs?pivots=platform-linux);
  // HTTPS only (https://learn.microsoft.com/azure/app-service/configure-ssl-bindings#enforce-https);
  // Always On keeps the outbox worker and the periodic alerts pass running between requests
  // (https://learn.microsoft.com/azure/app-service/configure-common#configure-general-settings).
  // The start command is node itself, not `npm start`: npm (11 on this machine) does not pass the SIGTERM App
  // Service sends at a stop or a restart on to the script it runs (checked on this machine: the
  // child never hears it), so the bot's graceful shutdown (README "Stopping") would never run and
  // work under way would be cut when the container is killed. `exec`: App Service runs the command
  // from a generated sh script, whose shell would not pass the signal on either
  // (deploy.startSignal.test).
  it('runs exec node scripts/start.js on Linux Node 20, HTTPS only, always on, health-checked on a page the bot serves', () => {
    const site = (p: string): string => propertyOf('Microsoft.Web/sites', p);
    assert.equal(site('httpsOnly'), 'true');
    assert.equal(site('alwaysOn'), 'true');
    assert.equal(evaluate(site('linuxFxVersion')), 'NODE|20-lts');
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; scripts: Record<string, string> };
    assert.match(pkg.engines.node, /^>=20\./, 'the runtime major is the one package.json asks for');
    assert.equal(evaluate(site('appCommandLine')), 'exec node scripts/start.js');
    assert.equal(pkg.scripts.start, 'node scripts/start.js', 'the same start as npm start');
    assert.ok(fs.existsSync(path.join(root, 'scripts', 'start.js')));
    assert.equal(evaluate(site('healthCheckPath')), '/readyz');
    assert.match(read('src/server.ts'), /probe\('\/readyz'/);
    assert.match(read('src/server.ts'), /const probe = [^\n]*\n\s*server\.get\(path, handler\);/, 'probe() serves GET');
    assert.equal(propertyOf('Microsoft.Web/serverfarms', 'reserved'), 'true', 'a Linux plan');
  });
});
