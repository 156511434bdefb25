import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

// What keeps a deployment working after the day it was made: the README's "Deploy to Azure"
// section must say what runs out and what a later deployment undoes.

const root = projectRoot();
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');
const readme = read('README.md');
const start = readme.indexOf('## Deploy to Azure');
const deploySection = readme.slice(start, readme.indexOf('\n## ', start + 1));
const agentsYml = read('m365agents.yml');
const bicep = read('infra/azure.bicep');

/** The YAML text of the first `aadApp/create` action of m365agents.yml. */
function aadAppCreate(): string {
  const at = agentsYml.indexOf('uses: aadApp/create');
  assert.ok(at >= 0, 'm365agents.yml creates the SSO app');
  const next = agentsYml.indexOf('- uses:', at);
  return agentsYml.slice(at, next < 0 ? undefined : next);
}

describe('deploy: upkeep the README names (client secret, app settings)', () => {
  // aadApp/create: "clientSecretExpireDays: ... Specify the lifetime of a client secret. The
  // default value is 180 days." (https://aka.ms/teamsfx-actions/aadapp-create); a new secret is
  // made only when the clientSecret variable is empty. `az ad app credential reset` makes one valid
  // for one year unless --years says otherwise, and without --append it overwrites the app's other
  // secrets (https://learn.microsoft.com/cli/azure/ad/app/credential#az-ad-app-credential-reset).
  // An expired secret makes every on-behalf-of exchange fail with AADSTS7000222. The README said
  // nothing of it, so a deployment stopped working after 180 days with no word on what to renew.
  it('says when the SSO app’s client secret expires and how to renew it either way', () => {
    const action = aadAppCreate();
    assert.match(action, /generateClientSecret: true/);
    const days = Number(/clientSecretExpireDays: (\d+)/.exec(action)?.[1] ?? 180);
    assert.match(
      deploySection,
      new RegExp(`secret expires[\\s\\S]{0,200}\\b${days} days`),
      `the README says ${days} days`,
    );
    assert.match(deploySection, /SECRET_AAD_APP_CLIENT_SECRET`[\s\S]{0,100}`atk provision/, 'renewal with the Toolkit');
    const cliCreate = /az ad app credential reset [^\n]*/.exec(deploySection)?.[0] ?? '';
    assert.doesNotMatch(cliCreate, /--years/, 'the CLI path makes a secret of the default lifetime');
    assert.match(deploySection, /`az ad app credential reset` for one year/);
    assert.match(
      deploySection,
      /credential reset --id "\$APP_ID" --append/,
      'renewal with the CLI keeps the current secret',
    );
    assert.match(deploySection, /`AADSTS7000222`/, 'and what an expired one looks like');
  });

  // A sites/config 'appsettings' resource sets the whole collection ("Replaces the application
  // settings of an app": https://learn.microsoft.com/rest/api/appservice/web-apps/update-application-settings),
  // so every deployment of the template removes a setting someone added in the portal, such as
  // the Bot Framework endpoint settings a government cloud needs.
  it('says a deployment of the template replaces app settings added by hand', () => {
    assert.match(bicep, /'Microsoft\.Web\/sites\/config@[^']+' = \{[\s\S]*?name: 'appsettings'/);
    assert.match(deploySection, /added by hand[\s\S]{0,200}gone after the next deployment of the template/);
  });
});
