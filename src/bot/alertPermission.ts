// Whether the person in a turn may change a channel's alerts: the facts alerts/authorization.ts
// decides on, gathered from Teams (the roster's `userRole`, TeamsInfo.getMember) and, when admin
// groups are configured, from Entra (the user's groups). A refusal is logged by the caller only once
// it is told to the person: a decision that came too late for its click (alertSave.ts) was never
// shown, so it is not logged as a refusal.

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
  readonly logger: Logger;
  readonly tenantId: string;
}

export type Permission =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string; readonly logRefusal: () => void };

export async function alertPermission(ctx: TurnContext, where: ChannelRef, deps: PermissionDeps): Promise<Permission> {
  const from = ctx.activity.from;
  const member = from?.id ? await deps.member(ctx, from.id) : null;
  const owner = (member?.userRole ?? '').toLowerCase() === 'owner';
  const user = subjectOf(ctx.activity, deps.tenantId);
  const asked = !owner && deps.authority.adminGroupIds.length > 0;
  const groups = asked && user ? await deps.memberGroups(user).catch(() => null) : null;
  const decision = mayChangeSubscriptions(
    {
      userRole: member?.userRole ?? null,
      aadGroups: groups,
      groupsUnknown: asked && groups === null,
      rosterUnknown: member === null,
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
        ...(asked ? { groupCheck: groups === null ? 'failed' : 'notMember' } : {}),
      },
      'alert settings change refused',
    );
  return { allowed: false, reason: decision.reason, logRefusal };
}
