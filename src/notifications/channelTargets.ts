// Whether an alert is posted in a channel, asked by the alert worker before each attempt, and what
// a refusal by the channel does: a suspended channel, one no known team has, or one of another
// organization is not posted in (the delivery is dead-lettered with the reason, in words for the
// team); a 403 or 404 by which the channel refuses the bot suspends its subscription. Just before
// the post, one read of the channel's record again: one suspended since the first check (another
// instance's post refused, its team archived) or that turned the alert's category (or the digest)
// off since the alert was queued is not posted in either.

import type { Logger } from 'pino';
import { ChannelSuspension, channelRefusal, foreignTenantSuspension, suspensionOf } from '../alerts/channelSuspension';
import { AlertTopic, CATEGORIES } from '../alerts/categories';
import { DeliveryRecord } from '../alerts/deliveries';
import { AlertSubscriptions, ChannelSubscriptions } from '../alerts/subscriptions';
import { StoredReference } from '../state/references';
import { ChannelTarget, Withheld } from './alertWorkerOptions';
import { foreignTenantFields, foreignTenantOf } from './foreignTenant';

/** Why an alert is not posted in a channel no team the bot is in has. */
const UNKNOWN_CHANNEL =
  'Governance Bot does not know this channel any more: it was removed from the team or the channel was deleted.';

/** Why an alert is not posted in a suspended channel: the suspension's own reason. */
const suspendedReason = (suspension: ChannelSuspension): string =>
  `Alerts to this channel are suspended. ${suspension.reason}`;

/** Why a channel with these settings is not posted an alert of `topic`, read just before its post:
 * suspended since the first check (its reason first, as that check gives it), or null when it
 * subscribes to the topic and is not suspended. */
export function withheldReason(settings: ChannelSubscriptions | null, topic: AlertTopic): Withheld | null {
  if (settings?.suspended) return { reason: suspendedReason(settings.suspended), suspended: true };
  const reason = turnedOffReason(settings, topic);
  return reason === null ? null : { reason, suspended: false };
}

/** Why a channel with these settings is not posted an alert of `topic`: it turned the topic off
 * (or was forgotten) since the alert was queued; null when it subscribes to it. */
export function turnedOffReason(settings: ChannelSubscriptions | null, topic: AlertTopic): string | null {
  if (!settings) return UNKNOWN_CHANNEL;
  if (topic === 'digest')
    return settings.digest ? null : 'This channel turned off the daily digest before it was posted here.';
  if (settings.categories.includes(topic)) return null;
  return `This channel turned off ${CATEGORIES[topic].name} before the alert was posted here.`;
}

export interface ChannelTargetsOptions {
  readonly subscriptions: AlertSubscriptions;
  /** How the channel is reached (unseenChannels.ts). */
  readonly channelReference: (channelId: string) => Promise<StoredReference | null>;
  /** The organization the bot serves; null turns the check of a reference's tenant off. */
  readonly servedTenant: string | null;
  readonly logger: Logger;
  readonly now: () => number;
}

export function channelTargets(opts: ChannelTargetsOptions) {
  const { subscriptions, logger, now } = opts;
  /** A suspension that could not be written is logged, not thrown: the delivery's outcome stands. */
  const suspendLogged = (channelId: string, suspension: ChannelSuspension, seen: number, fields: object) =>
    subscriptions
      .suspend(channelId, suspension, seen)
      .catch((e: unknown) => logger.error({ err: e, event: 'alerts.suspend.failed', ...fields }, 'could not suspend'));

  /** A 403 or 404 on a channel alert by which the channel refuses the bot (not a fault of the
   * bot's deployment, connectorRefusal.ts): the channel's subscription is suspended
   * (channelSuspension.ts), unless Teams showed the bot there since the post was looked up
   * (`seen`: its confirmations then).
   * A failure to write that is logged: the delivery is dead-lettered either way, and the next
   * refusal tries again. */
  const channelRefused = async (delivery: DeliveryRecord, error: unknown, seen: number): Promise<void> => {
    const refusal = channelRefusal(error);
    if (refusal === null) return;
    await suspendLogged(delivery.channelId, suspensionOf(refusal, now()), seen, { deliveryId: delivery.deliveryId });
  };

  /** Alerts are not posted in a suspended channel: deliveries planned before it was suspended are
   * dead-lettered without trying Teams again, with the suspension's own reason. */
  const channelTarget = async (channelId: string): Promise<ChannelTarget> => {
    const { suspended, confirmations } = await subscriptions.standing(channelId);
    if (suspended) return { reference: null, reason: suspendedReason(suspended) };
    const reference = await opts.channelReference(channelId);
    if (!reference) return { reference: null, reason: UNKNOWN_CHANNEL };
    const foreign = foreignTenantOf(reference, opts.servedTenant);
    if (foreign === null) return { reference, seen: confirmations };
    // Stored before the inbound edge refused other tenants: never posted in, suspended like a
    // channel Teams refused (its own uninstall events are refused now, so nothing else would).
    logger.warn(
      { event: 'alerts.channel.foreignTenant', channelId, ...foreignTenantFields(foreign) },
      "a channel of another organization's team is not posted in; its alert subscription is suspended",
    );
    const suspension = foreignTenantSuspension(now());
    await suspendLogged(channelId, suspension, confirmations, { channelId });
    return { reference: null, reason: suspendedReason(suspension) };
  };

  /** Read just before a delivery's post (one read of the channel's record, which holds both its
   * choices and its suspension): why it is not posted any more, or null. A failed read throws: the
   * worker gives the send up for now, its row back. */
  const withheld = async (delivery: DeliveryRecord): Promise<Withheld | null> =>
    withheldReason(await subscriptions.get(delivery.channelId), delivery.category);

  return { channelTarget, channelRefused, withheld };
}
