// Who sent an activity, as the sign-in checks need it: the Entra user and their tenant.

import { Activity } from 'botbuilder';
import { Subject } from '../auth/tokenSubject';

/** The activity's tenant: conversation.tenantId, else channelData.tenant.id (Teams sends both). */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromConversation = activity.conversation?.tenantId;
  if (typeof fromConversation === 'string' && fromConversation !== '') return fromConversation;
  const fromChannel = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return typeof fromChannel === 'string' && fromChannel !== '' ? fromChannel : undefined;
}

/** The sender as a sign-in subject; null when the activity names no Entra user. */
export function subjectOf(activity: Partial<Activity>, defaultTenantId: string): Subject | null {
  const aad = activity.from?.aadObjectId;
  if (typeof aad !== 'string' || aad === '') return null;
  return { aadObjectId: aad, tenantId: tenantOf(activity) ?? defaultTenantId };
}
