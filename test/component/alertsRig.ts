// The handler rig with channel alerts wired in as the app wires them: AlertTurns for the commands,
// the settings card and team events (with a fake Teams roster and channel list), the action feed
// on the audit point, the card-copy updates, and the alert worker over the rig's state with a
// recording "post in a channel" in place of the Bot Connector.

import { strict as assert } from 'node:assert';
import { Activity } from 'botbuilder';
import { pressedData } from '../fixtures/pressedData';
import { CATEGORY_IDS } from '../../src/alerts/categories';
import { eventCard, itemCard } from '../../src/bot/replyCards';
import { Target } from '../../src/domain/operations';
import { parseEvent } from '../../src/notifications/events';
import { AlertTurns } from '../../src/bot/alertTurns';
import type { TeamsDirectory } from '../../src/bot/teamsDirectory';
import { createReplyCards } from '../../src/bot/replyCards';
import { CardCopyUpdates } from '../../src/bot/teamsEdge';
import { Alerts, createAlerts } from '../../src/notifications/alertsSetup';
import { OutboundCard, SendCard } from '../../src/notifications/delivery';
import { CardEditLog } from '../../src/state/cardEditLog';
import { TurnDedup } from '../../src/state/turnDedup';
import type { Records } from '../../src/state/port';
import type { StoredReference } from '../../src/state/references';
import { EventPlace, teamsEvent } from '../fixtures/teamsEvents';
import { Rig, RigOptions, User } from './botRig';

/** A user whose chat reference cannot be read (the rig's reference lookup throws). */
export const UNREACHABLE_USER = 'unreachable-user';
/** A user whose stored chat reference names another organization's tenant. */
export const FOREIGN_USER = 'foreign-user';
export const FOREIGN_TENANT = '99999999-9999-4999-8999-999999999999';

export const TEAM = '19:identity-ops@thread.tacv2';
export const GENERAL = TEAM;
export const CH_A = '19:ops-a@thread.tacv2';
export const CH_B = '19:ops-b@thread.tacv2';
/** The Microsoft 365 group behind TEAM. */
export const TEAM_GROUP = '5e1f0c2a-7b3d-4e6f-8a9b-0c1d2e3f4a5b';
export const TEAM_CHANNELS = [
  { id: GENERAL, name: 'General' },
  { id: CH_A, name: 'Ops A' },
  { id: CH_B, name: 'Ops B' },
];

/** Every toggle of the settings card, as Teams sends them with its Save: `on` on, every other off. */
export function cardToggles(on: readonly string[]): Record<string, string> {
  return Object.fromEntries([...CATEGORY_IDS, 'digest'].map((id) => [id, on.includes(id) ? 'true' : 'false']));
}

export interface Post {
  readonly channelId: string;
  readonly activityId: string;
  readonly card: OutboundCard;
  readonly serviceUrl: string | undefined;
}

export class AlertsRig {
  readonly rig: Rig;
  alerts!: Alerts;
  copies!: CardCopyUpdates;
  /** The bot's duplicate marks of message turns (`turns.giveUp()` gives up its turns as a stop does). */
  turns!: TurnDedup;
  readonly posts: Post[] = [];
  /** Teams roster roles by user id (29:…); anyone else is a plain member ('user'). */
  readonly roles = new Map<string, string>();
  /** Replace to make a post fail. */
  sendImpl: SendCard | null = null;
  /** Replace to make the roster lookup hang or fail. */
  memberImpl: TeamsDirectory['member'] | null = null;
  /** Replace to make the team's channel list read fail. */
  channelsImpl: TeamsDirectory['channels'] | null = null;
  /** The object id of the team's Microsoft 365 group, as Teams tells it (null: Teams did not). */
  teamGroupId: string | null = TEAM_GROUP;
  /** Entra object ids of the owners of the team's group, as Graph's ownership read tells them. */
  readonly groupOwners = new Set<string>();
  /** Replace to make the ownership read fail (null: cannot tell) or record its calls. */
  ownsImpl: ((aadObjectId: string, groupId: string) => Promise<boolean | null>) | null = null;
  private readonly stop = new AbortController();

  /** `alertRecords` wraps the records the channel alerts read and write (to hold one of their writes). */
  constructor(
    dir: string,
    opts: RigOptions & { now?: () => number; maxAttempts?: number; alertRecords?: (inner: Records) => Records } = {},
  ) {
    this.rig = new Rig(dir, {
      ...opts,
      extend: (r) => {
        const send: SendCard = async (reference, card, signal) => {
          if (this.sendImpl) return this.sendImpl(reference, card, signal);
          return this.record(reference, card);
        };
        const records = opts.alertRecords ? opts.alertRecords(r.state.records) : r.state.records;
        this.alerts = createAlerts({
          state: { records, outbox: r.state.outbox },
          bindings: r.bindings,
          send,
          logger: r.logger,
          owner: 'instance-1',
          tenantId: r.seed.tenantId,
          // The organization the app serves, as createAdapter reads it: the seed tenant's GUID.
          servedTenant: r.seed.tenantId,
          marginMs: 0,
          backoffMs: () => 1000,
          render: eventCard,
          ...(opts.now ? { now: opts.now } : {}),
          ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
        });
        const teams: TeamsDirectory = {
          member: async (ctx, userId) =>
            this.memberImpl ? this.memberImpl(ctx, userId) : { userRole: this.roles.get(userId) ?? 'user' },
          channels: async (ctx, teamId) =>
            this.channelsImpl ? this.channelsImpl(ctx, teamId) : TEAM_CHANNELS.map((c) => ({ ...c })),
          teamGroup: async () => this.teamGroupId,
        };
        this.turns = new TurnDedup(r.state.records);
        const turns = new AlertTurns({
          subscriptions: this.alerts.subscriptions,
          reach: this.alerts.reach,
          authority: { adminGroupIds: [] },
          memberGroups: async () => null,
          ownsGroup: async (user, groupId) =>
            this.ownsImpl
              ? this.ownsImpl(user.aadObjectId, groupId)
              : groupId === this.teamGroupId && this.groupOwners.has(user.aadObjectId),
          cards: createReplyCards({ cloud: 'global', examples: null }),
          logger: r.logger,
          tenantId: r.seed.tenantId,
          teams,
          editLog: new CardEditLog(r.state.records),
          turns: this.turns,
          ...(opts.clock ? { clock: opts.clock } : {}),
        });
        this.copies = new CardCopyUpdates({
          copies: this.alerts.copies,
          channelReference: this.alerts.channelReference,
          // Each seed user's personal chat with the bot, as the reference store would give it.
          userReference: async (aadObjectId) => {
            if (aadObjectId === UNREACHABLE_USER) throw new Error('the reference store did not answer');
            return {
              serviceUrl: 'https://smba.test/',
              channelId: 'msteams',
              conversation: {
                id: `a:personal-${aadObjectId}`,
                conversationType: 'personal',
                ...(aadObjectId === FOREIGN_USER ? { tenantId: FOREIGN_TENANT } : {}),
              },
            };
          },
          proactive: (reference, logic) => r.proactive(reference, logic),
          editLog: new CardEditLog(r.state.records),
          logger: r.logger,
          servedTenant: r.seed.tenantId,
        });
        const deps = { alerts: turns, copies: this.copies, turns: this.turns };
        return { deps, onAudit: this.alerts.actions.onAudit };
      },
    });
  }

  /** An activity in a channel thread of the team, as Teams sends it. */
  inChannel(user: User, channelId: string, extra: Partial<Activity>): Partial<Activity> {
    const r = this.rig;
    const name = TEAM_CHANNELS.find((c) => c.id === channelId)?.name ?? 'Channel';
    return r.activity(user, {
      conversation: {
        id: `${channelId};messageid=thread-root`,
        conversationType: 'channel',
        tenantId: r.seed.tenantId,
        isGroup: true,
        name: '',
      },
      channelData: {
        tenant: { id: r.seed.tenantId },
        team: { id: TEAM, name: 'Identity Operations' },
        channel: { id: channelId, name },
      },
      ...extra,
    });
  }

  /** The settings card's Save (Action.Execute, verb alerts.save) on the card posted as `cardId`, as
   * Teams sends it. */
  saveClick(user: User, channelId: string, cardId: string, data: Record<string, unknown>): Partial<Activity> {
    return this.inChannel(user, channelId, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'alerts.save', data } },
      replyToId: cardId,
    });
  }

  /** A message that @mentions the bot in a channel. */
  say(user: User, channelId: string, text: string) {
    return this.rig.turn(this.inChannel(user, channelId, { type: 'message', text: `<at>Governance Bot</at> ${text}` }));
  }

  /** The rig's team, in its tenant, where Teams' events happen; with `channelId` (a channel of
   * TEAM_CHANNELS), the channel a channel event is about. */
  place(channelId?: string): EventPlace {
    const channel = TEAM_CHANNELS.find((c) => c.id === channelId);
    return {
      tenantId: this.rig.seed.tenantId,
      team: { id: TEAM, name: 'Identity Operations' },
      ...(channel ? { channel: { ...channel } } : {}),
    };
  }

  /** Teams tells the bot it was added to (or removed from) the team, in the General channel. */
  teamEvent(user: User, kind: 'added' | 'removed') {
    const bot = { id: '28:bot', name: 'Governance Bot' };
    return this.rig.turn(
      this.inChannel(
        user,
        GENERAL,
        teamsEvent(kind === 'added' ? 'teamMemberAdded' : 'teamMemberRemoved', this.place(), {
          ...(kind === 'added' ? { membersAdded: [bot] } : { membersRemoved: [bot] }),
        }),
      ),
    );
  }

  /** A PIM role request (the seed's example) announced to the channels subscribed to role
   * requests, fanned out; its target. */
  async announceRoleRequest(eventId: string): Promise<Target> {
    const target: Target = {
      operation: 'cancelRoleRequest',
      ids: { requestId: this.rig.seed.examples.roleRequestId },
    };
    const parsed = parseEvent({
      eventId,
      kind: 'roleRequest',
      target: { category: 'roleRequests' },
      requestId: target.ids.requestId,
      principalName: 'Adele Vance',
      roleName: 'Global Reader',
    });
    assert.ok(parsed.ok);
    await this.alerts.categoryEvents.publish(
      parsed.event,
      itemCard(parsed.event.item, { text: parsed.event.text, settled: false }),
    );
    await this.drain();
    return target;
  }

  /** A click on the card posted as `activityId`, from its channel thread (`;messageid=` as Teams
   * sends it). */
  clickInChannel(user: User, channelId: string, activityId: string, target: Target) {
    return this.rig.turn(
      this.inChannel(user, channelId, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'governance.act', data: pressedData(target) } },
        conversation: {
          id: `${channelId};messageid=${activityId}`,
          conversationType: 'channel',
          tenantId: this.rig.seed.tenantId,
          isGroup: true,
          name: '',
        },
        replyToId: activityId,
      }),
    );
  }

  /** Works every alert row of the outbox that is due now, as the delivery worker would. */
  async drain(): Promise<void> {
    await this.alerts.actions.idle();
    const outbox = this.rig.state.outbox;
    for (let row = await outbox.lease(30_000); row; row = await outbox.lease(30_000)) {
      if (this.alerts.worker.owns(row)) await this.alerts.worker.handle(row, this.stop.signal);
      else await outbox.complete(row);
    }
  }

  postsIn(channelId: string): Post[] {
    return this.posts.filter((p) => p.channelId === channelId);
  }

  async close(): Promise<void> {
    await this.alerts.actions.idle();
    await this.copies.idle();
    await this.rig.close();
  }

  /** Posts as the Bot Connector would: recorded, with a new activity id. */
  record(reference: StoredReference, card: OutboundCard): string {
    const activityId = `post-${this.posts.length + 1}`;
    this.posts.push({
      channelId: reference.conversation?.id ?? '',
      activityId,
      card,
      serviceUrl: reference.serviceUrl,
    });
    return activityId;
  }
}
