import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

const root = projectRoot();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DELEGATED_PERMISSION_IDS } = require(path.join(root, 'scripts', 'graph-permissions.js')) as {
  DELEGATED_PERMISSION_IDS: Readonly<Record<string, string>>;
};

/**
 * Every delegated Microsoft Graph permission id the registration may use, each copied from its
 * "Delegated" identifier in https://learn.microsoft.com/graph/permissions-reference (checked one by
 * one, not derived from scripts/graph-permissions.js, so a wrong id there fails here).
 */
const REFERENCE: Readonly<Record<string, string>> = {
  'EntitlementMgmt-SubjectAccess.ReadWrite': 'e9fdcbbb-8807-410f-b9ec-8d5468c7c2ac',
  'EntitlementManagement.Read.All': '5449aa12-1393-4ea2-a7c7-d0e06c1a56b2',
  'EntitlementManagement.ReadWrite.All': 'ae7a573d-81d7-432b-ad44-4ed5c9d89038',
  'LifecycleWorkflows-Reports.Read.All': '4d3d7f81-163f-426a-8432-5638d2e82083',
  'LifecycleWorkflows-Workflow.Read.All': '7fabe5bd-2e47-4e61-b924-327117024e18',
  'LifecycleWorkflows-Workflow.ReadWrite.All': '29e49f0c-a053-4cc5-a4b1-7da0c8c1e643',
  'LifecycleWorkflows.Read.All': '9bcb9916-765a-42af-bf77-02282e26b01a',
  'LifecycleWorkflows.ReadWrite.All': '84b9d731-7db8-4454-8c90-fd9e95350179',
  'PrivilegedAssignmentSchedule.Read.AzureADGroup': '02a32cc4-7ab5-4b58-879a-0586e0f7c495',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup': '06dbc45d-6708-4ef0-a797-f797ee68bf4b',
  'RoleAssignmentSchedule.Read.Directory': '344a729c-0285-42c6-9014-f12b9b8d6129',
  'RoleAssignmentSchedule.ReadWrite.Directory': '8c026be3-8e26-4774-9372-8d5d6f21daff',
  'RoleManagement.Read.Directory': '741c54c3-0c1e-44a1-818b-3f97ab4e8c83',
  'RoleManagement.ReadWrite.Directory': 'd01b97e9-cbc0-49fe-810a-750afd5527a3',
  'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
};

// The Teams clients to pre-authorize for bot SSO, from
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/authentication/bot-sso-register-aad
const TEAMS_DESKTOP_MOBILE = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';
const TEAMS_WEB = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';

describe('deploy: ids of the SSO app registration', () => {
  it('names every Graph permission by its delegated id in the permissions reference', () => {
    for (const [name, id] of Object.entries(DELEGATED_PERMISSION_IDS)) {
      assert.ok(name in REFERENCE, `${name}: add its delegated id from the permissions reference to this test`);
      assert.equal(id, REFERENCE[name], name);
    }
  });

  it('requests in infra/aad.manifest.json only scopes whose ids the reference gives', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'infra', 'aad.manifest.json'), 'utf8')) as {
      requiredResourceAccess: Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: string }> }>;
      preAuthorizedApplications: Array<{ appId: string }>;
    };
    const known = new Set(Object.values(REFERENCE));
    for (const access of manifest.requiredResourceAccess) {
      assert.equal(access.resourceAppId, '00000003-0000-0000-c000-000000000000', 'Microsoft Graph');
      for (const r of access.resourceAccess) {
        assert.equal(r.type, 'Scope', 'delegated permissions only');
        assert.ok(known.has(r.id), `${r.id} is no delegated permission id of the reference`);
      }
    }
    assert.deepEqual(
      manifest.preAuthorizedApplications.map((a) => a.appId).sort(),
      [TEAMS_DESKTOP_MOBILE, TEAMS_WEB].sort(),
    );
  });
});
