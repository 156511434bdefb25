// Whether the person in a turn may change a channel's alerts: the facts alerts/authorization.ts
// decides on, gathered from Teams (the roster's `userRole`, TeamsInfo.getMember; the team's
// Microsoft 365 group id) and from Microsoft Graph as the person (whether they own that group,
// and, when admin groups are configured, their groups; both asked at once). An `owner` in the
// roster is allowed with no Graph call. A refusal is logged by the caller only once it is told to
// the person: a decision that came too late for its click (alertSave.ts) was never shown, so it is
// not logged as a refusal.
// The team's group id is free when the activity carries it; otherwise it costs a Teams call
// (teamGroup.ts), made only when the roster does not say `owner`, or once the roster has kept us
// waiting ROSTER_HEAD_START_MS: the Graph read after it must still fit a Save click (alertSave.ts).

import { randomUUID } from 'node:crypto';
import { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { Subject } from '../auth/tokenSubject';
import { SubscriptionAuthority, mayChangeSubscriptions } from '../alerts/authorization';
import { ChannelRef } from '../alerts/subscriptions';
import { groupIdOfTurn } from './teamGroup';
import { subjectOf } from './turnUser';

/** How long the roster may answer first before the team's details are asked of Teams beside it:
 * an `owner` answered by then spares that call; a slower roster delays it by no more than this. */
export const ROSTER_HEAD_START_MS = 300;

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
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly reason: string;
      /** Writes the refusal's one line; its argument: how, and what was asked for (via, category, on). */
      readonly logRefusal: (asked: Readonly<Record<string, unknown>>) => void;
    };

export async function alertPermission(ctx: TurnContext, where: ChannelRef, deps: PermissionDeps): Promise<Permission> {
  const from = ctx.activity.from;
  let asking: Promise<string | null> | undefined;
  const groupId = (): Promise<string | null> => (asking ??= deps.teamGroup(ctx, where.teamId).catch(() => null));
  const roster = from?.id ? deps.member(ctx, from.id) : Promise.resolve(null);
  const carried = groupIdOfTurn(ctx) !== null;
  if (carried) void groupId();
  const headStart = carried ? undefined : setTimeout(() => void groupId(), ROSTER_HEAD_START_MS);
  let member: Awaited<typeof roster>;
  try {
    member = await roster;
  } finally {
    clearTimeout(headStart);
  }
  const owner = (member?.userRole ?? '').toLowerCase() === 'owner';
  if (owner) return { allowed: true };
  const user = subjectOf(ctx.activity, deps.tenantId);
  const asked = deps.authority.adminGroupIds.length > 0;
  const [groupOwner, groups] = await Promise.all([
    groupId().then((id) => (user && id ? deps.ownsGroup(user, id).catch(() => null) : null)),
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
  // `request`, not `asked`: that name says whether the admin groups were asked (groupCheck below).
  const logRefusal = (request: Readonly<Record<string, unknown>>): void =>
    deps.logger.info(
      {
        ...request,
        event: 'alerts.subscription.refused',
        teamId: where.teamId,
        channelId: where.channelId,
        userId: from?.aadObjectId ?? null,
        userRole: member?.userRole ?? null,
        ownerCheck: groupOwner === null ? 'failed' : 'notOwner',
        ...(asked ? { groupCheck: groups === null ? 'failed' : 'notMember' } : {}),
        // Fresh per refusal, as an accepted change's lines have theirs (subscriptionChanges.ts).
        correlationId: randomUUID(),
      },
      'alert settings change refused',
    );
  return { allowed: false, reason: decision.reason, logRefusal };
}
