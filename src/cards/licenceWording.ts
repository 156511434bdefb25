// Words for a call Graph refused because the tenant lacks the licence its feature needs (a 403
// with a licence code, NOT_LICENSED): no permission or role helps, only an administrator can.

import { OperationName, OperationSpec } from '../domain/operations';

/**
 * The licence each operation's feature needs, from "Microsoft Entra ID Governance licensing
 * fundamentals" (https://learn.microsoft.com/entra/id-governance/licensing-fundamentals):
 * Lifecycle Workflows needs Microsoft Entra ID Governance; Privileged Identity Management (roles
 * and groups) Microsoft Entra ID P2 or Governance; entitlement management Microsoft Entra ID
 * Governance, some of its capabilities P2. A new catalog entry does not compile until it has one.
 */
const LICENCE: { readonly [N in OperationName]: string } = {
  cancelWorkflowRun: 'Microsoft Entra ID Governance',
  resumeTask: 'Microsoft Entra ID Governance',
  cancelRoleRequest: 'Microsoft Entra ID P2 or Microsoft Entra ID Governance',
  decideRoleApproval: 'Microsoft Entra ID P2 or Microsoft Entra ID Governance',
  cancelGroupRequest: 'Microsoft Entra ID P2 or Microsoft Entra ID Governance',
  decideGroupApproval: 'Microsoft Entra ID P2 or Microsoft Entra ID Governance',
  cancelAccessPackageRequest: 'Microsoft Entra ID Governance (some capabilities Microsoft Entra ID P2)',
  decideAccessPackageApproval: 'Microsoft Entra ID Governance (some capabilities Microsoft Entra ID P2)',
};

export function notLicensed(spec: OperationSpec): { title: string; what: string; next: string } {
  return {
    title: 'Not licensed',
    what: `Microsoft Graph refused because your organization does not have the licence "${spec.title}" needs: ${LICENCE[spec.name]}. Nothing was changed.`,
    next: 'A permission or a role will not help here. Tell an administrator: licences are assigned in the Microsoft 365 or Microsoft Entra admin center.',
  };
}
