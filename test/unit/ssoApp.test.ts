import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ssoResourceUri } from '../../src/app';
import { catalogScopes } from '../../src/auth/catalogScopes';
import { catalogPermissions } from '../../src/domain/rights';
import { projectRoot } from '../../src/paths';

const root = projectRoot();
const script = path.join(root, 'scripts', 'register-sso-app.js');
const BOT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const GRAPH = '00000003-0000-0000-c000-000000000000';
const TEAMS_CLIENTS = ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346'];

interface Scope {
  id: string;
  value: string;
  type: string;
}
interface Registration {
  app: {
    identifierUris: string[];
    signInAudience: string;
    api: { oauth2PermissionScopes: Scope[] };
    appRoles: Array<{ value: string; allowedMemberTypes: string[]; id: string }>;
    web: { redirectUris: string[] };
    requiredResourceAccess: Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: string }> }>;
  };
  preAuthorize: {
    api: {
      oauth2PermissionScopes: Scope[];
      preAuthorizedApplications: Array<{ appId: string; delegatedPermissionIds: string[] }>;
    };
  };
  permissions: Array<{ name: string; id: string }>;
}

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The delegated permissions the bot must register, named here rather than derived again from the
 * catalog: each write's (anyone's item and one's own), each read's (by id and filterByCurrentUser),
 * and User.Read for POST /me/checkMemberGroups (the alerts admin group,
 * https://learn.microsoft.com/en-us/graph/api/user-checkmembergroups). A catalog change that adds
 * or drops a permission must change this list on purpose.
 */
const EXPECTED_PERMISSIONS = [
  'EntitlementManagement.Read.All',
  'EntitlementManagement.ReadWrite.All',
  'EntitlementMgmt-SubjectAccess.ReadWrite',
  'LifecycleWorkflows-Reports.Read.All',
  'LifecycleWorkflows-Workflow.ReadWrite.All',
  'LifecycleWorkflows.ReadWrite.All',
  'PrivilegedAssignmentSchedule.Read.AzureADGroup',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  'RoleAssignmentSchedule.ReadWrite.Directory',
  'User.Read',
];
const expectedPermissions = (): string[] => [...EXPECTED_PERMISSIONS];

function registration(): Registration {
  const r = run(['--json', '--bot-id', BOT_ID, '--bot-domain', 'governance-bot.contoso.example']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Registration;
}

// What Teams needs of the SSO app: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/authentication/bot-sso-register-aad
describe('SSO app registration generated from the catalog', function () {
  this.timeout(10_000);

  it('requests exactly the catalog’s delegated Graph permissions (write and read of every operation)', () => {
    const reg = registration();
    assert.deepEqual(
      reg.permissions.map((p) => p.name).sort(),
      expectedPermissions(),
      'a new catalog permission needs its id in scripts/graph-permissions.js',
    );
    const graph = reg.app.requiredResourceAccess.filter((r) => r.resourceAppId === GRAPH);
    assert.equal(reg.app.requiredResourceAccess.length, 1, 'Microsoft Graph only');
    const requested = graph[0]!.resourceAccess;
    assert.ok(
      requested.every((r) => r.type === 'Scope'),
      'delegated only',
    );
    assert.deepEqual(requested.map((r) => r.id).sort(), reg.permissions.map((p) => p.id).sort());
    assert.equal(new Set(requested.map((r) => r.id)).size, requested.length, 'no id twice');
  });

  it('uses the Graph permission ids of the permissions reference', () => {
    // Delegated identifiers from https://learn.microsoft.com/graph/permissions-reference
    const known: Record<string, string> = {
      'RoleAssignmentSchedule.ReadWrite.Directory': '8c026be3-8e26-4774-9372-8d5d6f21daff',
      'EntitlementMgmt-SubjectAccess.ReadWrite': 'e9fdcbbb-8807-410f-b9ec-8d5468c7c2ac',
      'LifecycleWorkflows.ReadWrite.All': '84b9d731-7db8-4454-8c90-fd9e95350179',
      'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup': '06dbc45d-6708-4ef0-a797-f797ee68bf4b',
      // https://learn.microsoft.com/graph/permissions-reference#userread
      'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
    };
    for (const p of registration().permissions) if (known[p.name]) assert.equal(p.id, known[p.name], p.name);
  });

  it('exposes access_as_user at api://botid-{BOT_ID}, pre-authorizes both Teams clients, and redirects to the sign-in end page', () => {
    const reg = registration();
    assert.deepEqual(reg.app.identifierUris, [`api://botid-${BOT_ID}`]);
    assert.equal(reg.app.signInAudience, 'AzureADMyOrg');
    const [scope] = reg.app.api.oauth2PermissionScopes;
    assert.equal(scope?.value, 'access_as_user');
    assert.equal(scope?.type, 'User');
    const pre = reg.preAuthorize.api.preAuthorizedApplications;
    assert.deepEqual(pre.map((p) => p.appId).sort(), [...TEAMS_CLIENTS].sort());
    for (const p of pre) assert.deepEqual(p.delegatedPermissionIds, [scope!.id]);
    // The pre-authorization PATCH repeats the scope, so applying it never removes the scope.
    assert.deepEqual(reg.preAuthorize.api.oauth2PermissionScopes, reg.app.api.oauth2PermissionScopes);
    assert.deepEqual(reg.app.web.redirectUris, ['https://governance-bot.contoso.example/auth/end']);
  });

  // One Application ID URI everywhere: the registration's identifierUris, the Teams manifest's
  // webApplicationInfo.resource and the OAuth card's tokenExchangeResource.uri; Teams answers
  // resourcematchfailed when they differ.
  // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-manifest
  it('sets the Application ID URI the manifest and the OAuth card name', () => {
    assert.deepEqual(registration().app.identifierUris, [ssoResourceUri(BOT_ID)]);
    const teams = JSON.parse(fs.readFileSync(path.join(root, 'manifest', 'manifest.json'), 'utf8')) as {
      webApplicationInfo: { id: string; resource: string };
    };
    const toolkit = JSON.parse(fs.readFileSync(path.join(root, 'infra', 'aad.manifest.json'), 'utf8')) as {
      appId: string;
      identifierUris: string[];
    };
    assert.deepEqual(toolkit.identifierUris, [teams.webApplicationInfo.resource]);
    assert.equal(teams.webApplicationInfo.id, toolkit.appId, 'the manifest names the SSO app, AAD_APP_CLIENT_ID');
  });

  it('registers exactly the permissions the sign-in page asks for', () => {
    assert.deepEqual(
      registration()
        .permissions.map((p) => p.name)
        .sort(),
      catalogPermissions(),
    );
    assert.deepEqual(catalogPermissions(), expectedPermissions());
    assert.ok(catalogScopes('https://graph.microsoft.us/').every((s) => s.startsWith('https://graph.microsoft.us/')));
  });

  it('defines the app role Notifications.Send for applications', () => {
    const roles = registration().app.appRoles;
    assert.deepEqual(
      roles.map((r) => [r.value, r.allowedMemberTypes]),
      [['Notifications.Send', ['Application']]],
    );
  });

  it('fails by name on a catalog permission whose id it does not know', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-sso-'));
    const catalog = path.join(dir, 'catalog.json');
    const entry = {
      permission: { least: 'Imaginary.ReadWrite.All', higher: [] },
      read: { permission: 'Imaginary.Read.All' },
    };
    fs.writeFileSync(catalog, JSON.stringify({ CATALOG: { imaginary: entry } }));
    const r = run(['--json', '--catalog', catalog, '--bot-id', BOT_ID, '--bot-domain', 'x.example']);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /Imaginary\.ReadWrite\.All, Imaginary\.Read\.All|Imaginary\.Read\.All, Imaginary\.ReadWrite\.All/,
    );
    assert.equal(r.stdout, '', 'nothing to apply');
  });

  it('keeps infra/aad.manifest.json (the Agents Toolkit’s aadApp/update manifest) generated from the catalog', () => {
    const r = run(['--toolkit', '--stdout']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      fs.readFileSync(path.join(root, 'infra', 'aad.manifest.json'), 'utf8'),
      r.stdout,
      'regenerate it: node scripts/register-sso-app.js --toolkit',
    );
    const manifest = JSON.parse(r.stdout) as { identifierUris: string[]; replyUrlsWithType: Array<{ url: string }> };
    assert.deepEqual(manifest.identifierUris, ['api://botid-${{BOT_ID}}']);
    assert.deepEqual(
      manifest.replyUrlsWithType.map((u) => u.url),
      ['https://${{BOT_DOMAIN}}/auth/end'],
    );
  });
});
