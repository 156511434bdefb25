'use strict';
// Microsoft Graph delegated permission ids, by name. Registration needs ids, and there is no
// network at build time, so the ids of every permission the operation catalog names are kept
// here. Each id is the "Delegated" identifier of the Microsoft Graph permissions reference,
// https://learn.microsoft.com/graph/permissions-reference#<name in lowercase without dots>, for
// example https://learn.microsoft.com/graph/permissions-reference#lifecycleworkflows-reportsreadall
// (the same ids are what Microsoft Graph's own service principal publishes in
// oauth2PermissionScopes). A catalog entry naming a permission missing here makes
// scripts/register-sso-app.js fail by name: add the id from the reference, never a guess.

/** The Microsoft Graph resource application (the same id in every cloud). */
const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

const DELEGATED_PERMISSION_IDS = Object.freeze({
  // Entitlement management
  'EntitlementMgmt-SubjectAccess.ReadWrite': 'e9fdcbbb-8807-410f-b9ec-8d5468c7c2ac',
  'EntitlementManagement.Read.All': '5449aa12-1393-4ea2-a7c7-d0e06c1a56b2',
  'EntitlementManagement.ReadWrite.All': 'ae7a573d-81d7-432b-ad44-4ed5c9d89038',
  // Lifecycle Workflows (the granular LifecycleWorkflows-* permissions date from February 2025)
  'LifecycleWorkflows-Reports.Read.All': '4d3d7f81-163f-426a-8432-5638d2e82083',
  'LifecycleWorkflows-Workflow.Read.All': '7fabe5bd-2e47-4e61-b924-327117024e18',
  'LifecycleWorkflows-Workflow.ReadWrite.All': '29e49f0c-a053-4cc5-a4b1-7da0c8c1e643',
  'LifecycleWorkflows.Read.All': '9bcb9916-765a-42af-bf77-02282e26b01a',
  'LifecycleWorkflows.ReadWrite.All': '84b9d731-7db8-4454-8c90-fd9e95350179',
  // PIM for Groups
  'PrivilegedAssignmentSchedule.Read.AzureADGroup': '02a32cc4-7ab5-4b58-879a-0586e0f7c495',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup': '06dbc45d-6708-4ef0-a797-f797ee68bf4b',
  // PIM for Microsoft Entra roles
  'RoleAssignmentSchedule.Read.Directory': '344a729c-0285-42c6-9014-f12b9b8d6129',
  'RoleAssignmentSchedule.ReadWrite.Directory': '8c026be3-8e26-4774-9372-8d5d6f21daff',
  'RoleManagement.Read.Directory': '741c54c3-0c1e-44a1-818b-3f97ab4e8c83',
  'RoleManagement.ReadWrite.Directory': 'd01b97e9-cbc0-49fe-810a-750afd5527a3',
  // The signed-in user's own group memberships (POST /me/checkMemberGroups)
  'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
});

/** [{ name, id }] for the names given; throws naming every name the table does not know. */
function resolveDelegatedPermissions(names) {
  const unknown = names.filter((n) => !Object.prototype.hasOwnProperty.call(DELEGATED_PERMISSION_IDS, n));
  if (unknown.length > 0) {
    throw new Error(
      `No Microsoft Graph permission id is known for: ${unknown.join(', ')}. Add each delegated ` +
        'identifier from https://learn.microsoft.com/graph/permissions-reference to scripts/graph-permissions.js.',
    );
  }
  return names.map((name) => ({ name, id: DELEGATED_PERMISSION_IDS[name] }));
}

module.exports = { MICROSOFT_GRAPH_APP_ID, DELEGATED_PERMISSION_IDS, resolveDelegatedPermissions };
