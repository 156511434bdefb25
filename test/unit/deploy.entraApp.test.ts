import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

// The SSO app is registered one of two ways: by the Agents Toolkit from infra/aad.manifest.json
// (aadApp/update), or by the az commands scripts/register-sso-app.js prints (README, "Deploy to
// Azure"). Both must register the same app.

const root = projectRoot();
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');
const BOT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const BOT_DOMAIN = 'governance-bot.azurewebsites.net';

interface ToolkitManifest {
  accessTokenAcceptedVersion: number;
  signInAudience: string;
  identifierUris: string[];
  oauth2Permissions: Array<{ id: string; value: string }>;
  preAuthorizedApplications: Array<{ appId: string; permissionIds: string[] }>;
  replyUrlsWithType: Array<{ url: string; type: string }>;
  requiredResourceAccess: Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: string }> }>;
}
interface GraphBody {
  app: {
    signInAudience: string;
    identifierUris: string[];
    api: { requestedAccessTokenVersion: number; oauth2PermissionScopes: Array<{ id: string; value: string }> };
    web: { redirectUris: string[] };
    requiredResourceAccess: ToolkitManifest['requiredResourceAccess'];
  };
  preAuthorize: { api: { preAuthorizedApplications: Array<{ appId: string; delegatedPermissionIds: string[] }> } };
}

function toolkit(): ToolkitManifest {
  const text = read('infra/aad.manifest.json')
    .replace(/\$\{\{BOT_ID\}\}/g, BOT_ID)
    .replace(/\$\{\{BOT_DOMAIN\}\}/g, BOT_DOMAIN);
  return JSON.parse(text) as ToolkitManifest;
}

function graphBody(): GraphBody {
  const script = path.join(root, 'scripts', 'register-sso-app.js');
  const r = spawnSync(process.execPath, [script, '--json', '--bot-id', BOT_ID, '--bot-domain', BOT_DOMAIN], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as GraphBody;
}

const sortedIds = (access: ToolkitManifest['requiredResourceAccess']): string[] =>
  access.flatMap((r) => r.resourceAccess.map((a) => `${r.resourceAppId}/${a.type}/${a.id}`)).sort();

describe('deploy: the SSO app registration (Toolkit manifest and az commands)', function () {
  this.timeout(10_000);

  // api://botid-{BOT_ID} names the Azure Bot's id, not the SSO app's own appId, so it is none of
  // the "secure patterns" of identifier URIs. Entra's default app management policy (enabled by
  // Microsoft in many tenants from 2025) refuses adding such a URI to an app on v1 tokens; "Applications
  // that are configured to use v2.0 Entra ID tokens, by setting the api.requestedAccessTokenVersion
  // property of the application to 2, are exempted by default."
  // https://learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions
  // Teams' bot SSO page asks for the same (accessTokenAcceptedVersion 2):
  // https://learn.microsoft.com/microsoftteams/platform/bots/how-to/authentication/bot-sso-register-aad
  it('asks for v2.0 access tokens in both, which lets Entra accept the api://botid- URI', () => {
    const manifest = toolkit();
    const body = graphBody();
    assert.deepEqual(manifest.identifierUris, [`api://botid-${BOT_ID}`]);
    assert.equal(manifest.accessTokenAcceptedVersion, 2);
    assert.deepEqual(body.app.identifierUris, [`api://botid-${BOT_ID}`]);
    assert.equal(body.app.api.requestedAccessTokenVersion, 2);
  });

  // The third way, by hand in the Entra admin center (README, "Registering the Entra app for SSO"),
  // meets the same policy: the app must be on v2.0 tokens before the URI is added.
  it('by hand, the README sets v2.0 access tokens before the api://botid- Application ID URI', () => {
    const readme = read('README.md');
    const start = readme.indexOf('## Registering the Entra app for SSO');
    assert.ok(start >= 0);
    const section = readme.slice(start, readme.indexOf('\n### ', start));
    const version = section.indexOf('`requestedAccessTokenVersion` to `2`');
    const uriAt = section.search(/Application ID URI\s+`api:\/\/botid-/);
    assert.ok(version >= 0, 'the by-hand steps set the access token version to 2');
    assert.ok(uriAt >= 0, 'the by-hand steps name the Application ID URI');
    assert.ok(version < uriAt, 'the version comes first: the policy judges the app as it is');
  });

  it('registers the same app either way: audience, scope, Teams clients, redirect URI, Graph permissions', () => {
    const manifest = toolkit();
    const body = graphBody();
    assert.equal(manifest.signInAudience, body.app.signInAudience);
    // aadApp/create makes the app with the audience the manifest then keeps.
    assert.match(read('m365agents.yml'), new RegExp(`signInAudience: ${manifest.signInAudience}\\n`));
    assert.deepEqual(
      manifest.oauth2Permissions.map((s) => [s.id, s.value]),
      body.app.api.oauth2PermissionScopes.map((s) => [s.id, s.value]),
    );
    assert.deepEqual(
      manifest.preAuthorizedApplications.map((p) => [p.appId, p.permissionIds]),
      body.preAuthorize.api.preAuthorizedApplications.map((p) => [p.appId, p.delegatedPermissionIds]),
    );
    assert.deepEqual(
      manifest.replyUrlsWithType.map((u) => [u.url, u.type]),
      body.app.web.redirectUris.map((url) => [url, 'Web']),
    );
    assert.deepEqual(sortedIds(manifest.requiredResourceAccess), sortedIds(body.app.requiredResourceAccess));
  });
});
