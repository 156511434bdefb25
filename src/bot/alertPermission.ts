// Whether the person in a turn may change a channel's alerts: the facts alerts/authorization.ts
// decides on, gathered from Teams (the roster's `userRole`, TeamsInfo.getMember; the team's
// Microsoft 365 group id) and from Microsoft Graph as the person (whether they own that group,
// and, when admin groups are configured, their groups; both asked at once). An `owner` in the
// roster is allowed with no Graph call. A refusal is logged by the caller only once it is told to
// the person: a decision that came too late for its click (alertSave.ts) was never shown, so it is
// not logged as a refusal.

import { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { Subject } from '../auth/tokenSubject';
import { SubscriptionAuthority, mayChangeSubscriptions } from '../alerts/authorization';
import { ChannelRef } from '../alerts/subscriptions';
import { subjectOf } from './turnUser';

export interface PermissionDeps {
  /** The roster entry of a user in the turn's team, or null when Teams did not answer. */
  readonly member: (ctx: TurnContext, userId: string) => Promise<{ readonly userRole?: string } | null>;
  readonly authority: SubscriptionAuthority;
  /** Which of the configured groups the user belongs to; null when that cannot be told now. */
  readonly memberGroups: (user: Subject) => Promise<readonly string[] | null>;
  /** The object id of the team's Microsoft 365 group, or null when Teams did not tell it. */
  readonly teamGroup: (ctx: TurnContext, teamId: string) => Promise<string | null>;
  /** Whether the user owns that group (its owners are the team's owners); null when that cannot
   * be told now. */
  readonly ownsGroup: (user: Subject, groupId: string) => Promise<boolean | null>;
  readonly logger: Logger;
  readonly tenantId: string;
}

export type Permission =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string; readonly logRefusal: () => void };

export async function alertPermission(ctx: TurnContext, where: ChannelRef, deps: PermissionDeps): Promise<Permission> {
  const from = ctx.activity.from;
  // The team's group id is asked beside the roster: the Graph read after it must fit a click.
  const groupId = deps.teamGroup(ctx, where.teamId).catch(() => null);
  const member = from?.id ? await deps.member(ctx, from.id) : null;
  const owner = (member?.userRole ?? '').toLowerCase() === 'owner';
  if (owner) return { allowed: true };
  const user = subjectOf(ctx.activity, deps.tenantId);
  const asked = deps.authority.adminGroupIds.length > 0;
  const [groupOwner, groups] = await Promise.all([
    groupId.then((id) => (user && id ? deps.ownsGroup(user, id).catch(() => null) : null)),
    asked && user ? deps.memberGroups(user).catch(() => null) : Promise.resolve(null),
  ]);
  const decision = mayChangeSubscriptions(
    {
      userRole: member?.userRole ?? null,
      aadGroups: groups,
      groupsUnknown: asked && groups === null,
      rosterUnknown: member === null,
      groupOwner,
    },
    deps.authority,
  );
  if (decision.allowed) return { allowed: true };
  const logRefusal = (): void =>
    deps.logger.info(
      {
        event: 'alerts.subscription.refused',
        teamId: where.teamId,
        channelId: where.channelId,
        userId: from?.aadObjectId ?? null,
        userRole: member?.userRole ?? null,
        ownerCheck: groupOwner === null ? 'failed' : 'notOwner',
        ...(asked ? { groupCheck: groups === null ? 'failed' : 'notMember' } : {}),
      },
      'alert settings change refused',
    );
  return { allowed: false, reason: decision.reason, logRefusal };
}
