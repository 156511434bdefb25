// A stored conversation reference of another organization. The bot serves one tenant: POST
// /api/messages refuses any activity naming another (src/bot/strictAuthentication.ts), but a reference or a
// subscription stored before that check, or written by any other path, would still have this
// organization's notifications and governance alerts posted into the other organization's chat or
// channel, and that tenant's uninstall events are refused now, so nothing there would ever clean
// it up. So every send first compares the reference's tenant with the served one: a foreign one is
// never sent to (no connector call) and is forgotten (a user's or a channel's reference) or its
// channel's subscription suspended, as a refusal by the conversation is (connectorRefusal.ts).
// As at the inbound edge, the check is off when the served tenant is not known as a GUID (null),
// and a reference naming no tenant is the served tenant's (sends use the default then).
// https://learn.microsoft.com/en-us/microsoftteams/platform/agents-in-teams/agent-tenancy

import { isGuid } from '../domain/operations';
import type { StoredReference } from '../state/references';

/** The tenant the reference names when it is set and is not `servedTenant` (GUIDs compared case
 * aside), else null. Always null when the served tenant is unknown (null). */
export function foreignTenantOf(
  reference: StoredReference | null | undefined,
  servedTenant: string | null,
): string | null {
  if (servedTenant === null) return null;
  const named = reference?.conversation?.tenantId;
  if (typeof named !== 'string' || named === '') return null;
  return named.toLowerCase() === servedTenant.toLowerCase() ? null : named;
}

/** The log fields naming the foreign tenant: only a GUID (the field was the sender's word, so
 * anything else is never repeated), and nothing of the reference itself. */
export function foreignTenantFields(tenant: string): { readonly foreignTenant?: string } {
  return isGuid(tenant) ? { foreignTenant: tenant.toLowerCase() } : {};
}

/** Why a notification to a person or a channel of another organization was not sent. */
export const FOREIGN_TENANT_REASON =
  'Not sent: this chat or channel belongs to another organization (Microsoft Entra tenant) than the one ' +
  'Governance Bot serves, so nothing is posted there. Governance Bot forgot it.';

/** Why a channel's alerts are suspended when its team belongs to another organization. */
export const FOREIGN_TENANT_SUSPENSION =
  'This channel belongs to another organization (Microsoft Entra tenant) than the one Governance Bot ' +
  'serves, so no alert is posted here.';
