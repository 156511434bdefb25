import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_KEYS, readConfig } from '../../src/config';
import { projectRoot } from '../../src/paths';
import { BLOB_ENDPOINT, QUEUE_ENDPOINT, managedIdentityBot } from '../fixtures/configEnv';

const root = projectRoot();
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');
const bicep = read('infra/azure.bicep');
const agentsYml = read('m365agents.yml');

/** The names of the web app's settings: the properties of its sites/config 'appsettings' resource. */
function appSettingNames(): string[] {
  const block =
    /'Microsoft\.Web\/sites\/config@[^']+' = \{[\s\S]*?name: 'appsettings'\s*properties: \{([\s\S]*?)\n {2}\}/.exec(
      bicep,
    );
  assert.ok(block, "infra/azure.bicep has a sites/config 'appsettings' resource");
  assert.doesNotMatch(bicep, /appSettings:\s*\[/, 'one place for app settings (a config resource replaces them all)');
  return [...block[1]!.matchAll(/^\s*(\w+):/gm)].map((m) => m[1]!);
}

/** The README's deployment section, where platform settings are listed. */
function deploySection(): string {
  const readme = read('README.md');
  const start = readme.indexOf('## Deploy to Azure');
  assert.ok(start >= 0, 'README has a "Deploy to Azure" section');
  const next = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, next < 0 ? undefined : next);
}

// A value of the right shape for each setting, standing in for what Azure fills in.
const SAMPLE: Record<string, string> = {
  ...managedIdentityBot,
  STORAGE_BLOB_ENDPOINT: BLOB_ENDPOINT,
  STORAGE_QUEUE_ENDPOINT: QUEUE_ENDPOINT,
  STORAGE_CONTAINER: 'governance-bot',
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'true',
  WEBSITES_CONTAINER_STOP_TIME_LIMIT: '30',
  // The parameter's default: team owners only.
  ALERTS_ADMIN_GROUP_ID: '',
};

describe('Azure deployment (infra/ and m365agents.yml)', () => {
  it('sets only app settings the configuration reads, or platform settings the README lists', () => {
    const configKeys: ReadonlySet<string> = new Set(CONFIG_KEYS);
    const section = deploySection();
    for (const name of appSettingNames()) {
      if (configKeys.has(name)) continue;
      assert.ok(section.includes(`\`${name}\``), `${name} is neither read by src/config.ts nor listed in the README`);
    }
  });

  it('sets every setting a production start needs: the bot as UserAssignedMSI, SSO, shared storage', () => {
    const env: Record<string, string> = {};
    for (const name of appSettingNames()) {
      assert.ok(name in SAMPLE, `add a sample value for ${name} to this test`);
      env[name] = SAMPLE[name]!;
    }
    const config = readConfig(env); // throws, naming every missing variable, if one is not set
    assert.equal(config.mode, 'production');
    assert.equal(config.bot.appType, 'UserAssignedMSI');
    assert.equal(config.bot.appPassword, '', 'no bot secret: the managed identity is the bot');
    assert.ok(config.sso, 'the SSO app is configured');
    assert.equal(config.storage.kind, 'blobs', 'several instances share Azure Storage');
    assert.deepEqual(config.alerts.adminGroupIds, [], "the empty default means the teams' owners only");
  });

  it('passes the optional alerts admin group through as a parameter with an empty default', () => {
    assert.match(bicep, /^param alertsAdminGroupId string = ''$/m);
    // The app setting is the parameter, but for `none`, which the environment file holds for "team
    // owners only": the Toolkit refuses an empty variable (test/unit/deploy.toolkitVariables.test.ts).
    // (`=~`: in any case; deploy.bicepValues checks the values.)
    const setting = /^\s*ALERTS_ADMIN_GROUP_ID: alertsAdminGroupId =~ '(\w+)' \? '' : alertsAdminGroupId$/m.exec(bicep);
    assert.ok(setting, 'the app setting is the parameter, or empty for one word');
    const parameters = JSON.parse(read('infra/azure.parameters.json')) as {
      parameters: Record<string, { value: string }>;
    };
    assert.equal(parameters.parameters.alertsAdminGroupId?.value, '${{ALERTS_ADMIN_GROUP_ID}}');
    assert.match(read('env/.env.dev'), new RegExp(`^ALERTS_ADMIN_GROUP_ID=${setting[1]}$`, 'm'));
    const group = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
    const env: Record<string, string> = {};
    for (const name of appSettingNames()) env[name] = SAMPLE[name]!;
    assert.deepEqual(readConfig({ ...env, ALERTS_ADMIN_GROUP_ID: group }).alerts.adminGroupIds, [group]);
  });

  // Azure Bot with a user-assigned managed identity and the Teams channel:
  // https://learn.microsoft.com/azure/templates/microsoft.botservice/botservices
  // App Service for Linux, Node: https://learn.microsoft.com/azure/app-service/configure-language-nodejs?pivots=platform-linux
  it('declares the managed identity, the Azure Bot on Teams, a Linux Node 20 web app and storage with a queue', () => {
    for (const type of [
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.BotService/botServices@',
      'Microsoft.BotService/botServices/channels',
      'Microsoft.Web/serverfarms',
      'Microsoft.Web/sites',
      'Microsoft.Storage/storageAccounts/blobServices/containers',
      'Microsoft.Storage/storageAccounts/queueServices/queues',
    ]) {
      assert.ok(bicep.includes(`'${type}`), `infra/azure.bicep lacks ${type}`);
    }
    assert.match(bicep, /msaAppType:\s*'UserAssignedMSI'/);
    assert.match(bicep, /msaAppMSIResourceId:\s*identity\.id/);
    assert.match(bicep, /channelName:\s*'MsTeamsChannel'/);
    assert.match(bicep, /linuxFxVersion:\s*'NODE\|20-lts'/);
    assert.match(bicep, /reserved:\s*true/, 'a Linux plan');
    assert.match(bicep, /endpoint:\s*'https:\/\/\$\{web\.properties\.defaultHostName\}\/api\/messages'/);
  });

  it('passes every parameter the template needs and no other', () => {
    const params = JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, unknown> };
    const declared = [...bicep.matchAll(/^param (\w+) \w+( = .*)?$/gm)].map((m) => ({
      name: m[1]!,
      hasDefault: !!m[2],
    }));
    const given = Object.keys(params.parameters);
    for (const name of given)
      assert.ok(
        declared.some((d) => d.name === name),
        `${name} is not a parameter of the template`,
      );
    for (const d of declared.filter((p) => !p.hasDefault)) assert.ok(given.includes(d.name), `${d.name} has no value`);
  });

  it('wires m365agents.yml to files that exist and to outputs the template declares', () => {
    for (const [, file] of agentsYml.matchAll(/(?:path|parameters|manifestPath|ignoreFile):\s*([\w./-]+)/g)) {
      assert.ok(fs.existsSync(path.join(root, file!)), `m365agents.yml names ${file}, which does not exist`);
    }
    for (const action of [
      'teamsApp/create',
      'aadApp/create',
      'arm/deploy',
      'aadApp/update',
      'azureAppService/zipDeploy',
    ]) {
      assert.ok(agentsYml.includes(`uses: ${action}`), `m365agents.yml lacks ${action}`);
    }
    const outputs = new Set([...bicep.matchAll(/^output (\w+) /gm)].map((m) => m[1]!));
    for (const name of ['BOT_ID', 'BOT_DOMAIN', 'BOT_AZURE_APP_SERVICE_RESOURCE_ID'])
      assert.ok(outputs.has(name), name);
    assert.ok(agentsYml.includes('${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}'));
    assert.match(read('.webappignore'), /^node_modules\/$/m, 'the local node_modules never reaches Linux');
  });
});
