// The words of a "my requests" row whose PIM request someone else created for the user (an
// administrator's assignment, createdBy naming the administrator): Graph lets a principal cancel
// without an administrator role only "a role assignment request they created" (and "a membership or
// ownership assignment request they created"), so the row offers no Cancel, whose press could only
// end in Graph's 403. The bot does not know the user's directory roles, so it cannot tell that they
// may cancel it anyway as an administrator: it says where such a request is cancelled instead.
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview?view=graph-rest-1.0

import type { WorkItem } from '../domain/myWork';
import { OperationSpec } from '../domain/operations';

/**
 * Where an administrator removes a PIM assignment in the Microsoft Entra admin center, by kind:
 * https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-how-to-add-role-to-user
 * https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-assign-member-owner
 */
const ASSIGNMENTS_AT: Readonly<Record<'role' | 'group', string>> = {
  role: 'Identity governance > Privileged Identity Management > Microsoft Entra roles > Assignments',
  group: 'Identity governance > Privileged Identity Management > Groups > the group > Assignments',
};

/** The row's line in place of its Cancel. `spec`: the row's cancel operation. */
export function createdElsewhere(spec: OperationSpec, item: Pick<WorkItem, 'kind' | 'requestId'>): string {
  const at = item.kind === 'access' ? null : ASSIGNMENTS_AT[item.kind];
  const typed = spec.command ? `"${spec.command.words.join(' ')} ${item.requestId}"` : null;
  const several = / or |, /.test(spec.role);
  return (
    `Created for you by someone else (an administrator): without an administrator role, Microsoft Graph lets you cancel only requests you created, so this row has no Cancel. ` +
    `Whoever created it, or someone with ${several ? 'one of the roles' : 'the role'} ${spec.role}, can cancel it` +
    (at ? ` in the Microsoft Entra admin center (${at})` : '') +
    (typed ? `, or send ${typed} here if you hold ${several ? 'one of them' : 'it'}.` : '.')
  );
}
