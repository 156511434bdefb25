// HTTP intake for notifications: POST /api/notifications and GET /api/notifications/{eventId}.
// The caller is authenticated before the body is read, the body is read with the 64 KiB limit
// enforced as it arrives, and a store that cannot answer is a 503 with a correlation id: the
// detail goes to the log, never to the caller (it may name a file or quote its contents).

import { randomUUID } from 'node:crypto';
import type * as restify from 'restify';
import type { Logger } from 'pino';
import { duplicateNameProblem } from '../http/duplicateNames';
import { readJsonBody } from '../http/readJsonBody';
import { storedExpiryNotices } from './eventFields';
import { MAX_EVENT_BYTES, NotificationEvent, parseEvent } from './events';
import { IntakeAuthResult } from './intakeAuth';
import { ChannelStatus, fanoutState } from './fanoutStatus';
import { rowPending } from './records';
import { StoredIdentity, otherEventNotices } from './otherEvent';

export interface IntakeRecord {
  readonly state: string;
  readonly acceptedAt: string;
  readonly attempts: number;
  readonly activityId?: string;
  readonly conversationId?: string;
  readonly reason?: string;
  /** `false` while the event's outbox row is not stored (records.ts): not accepted. */
  readonly enqueued?: boolean;
  /** The event as stored when first accepted: a duplicate's notices tell of it. */
  readonly event?: StoredIdentity & { readonly approvalExpiresAt?: number };
}

/** What the intake needs of the notification store. */
export interface IntakeStore {
  accept(event: NotificationEvent): Promise<'created' | 'duplicate'>;
  get(eventId: string): Promise<IntakeRecord | null>;
}

export interface NotificationIntake {
  readonly auth: { check(header: string | undefined): Promise<IntakeAuthResult> };
  readonly store: IntakeStore;
  readonly deliverer: { kick(eventId: string): void };
  readonly logger: Logger;
  /** Per-channel delivery of an event fanned out to a category (or of an action alert), or null;
   * given the event's record as GET found it (null when there is none), so a category event is
   * reported only with the channels of its own acceptance. */
  readonly channels?: (eventId: string, event: IntakeRecord | null) => Promise<readonly ChannelStatus[] | null>;
  /** How long an event's body may take to arrive once its headers have (default 30 s). */
  readonly bodyTimeoutMs?: number;
  /** The time now, in ms (tests move it): a moment an event states that is not after it gets a notice. */
  readonly now?: () => number;
}

/** A POST's 503 may leave the event stored (a write whose answer was lost, README): it is never
 * said that nothing was stored, only what to do, which is right either way. */
const UNAVAILABLE_POST =
  'The event could not be stored right now. Send it again later: if it was stored after all, ' +
  'it is answered as a duplicate and sent once.';
const UNAVAILABLE_GET = 'The notification store is unavailable right now. Try again later.';
/** Seconds a caller should wait before trying again after a 503. */
const RETRY_AFTER_SECONDS = '10';

/** RFC 6750 §3: a 401 to a bearer-token resource carries WWW-Authenticate, with
 * error="invalid_token" when a bearer token was sent and refused, and no error code when none was
 * (no header, another scheme such as Basic, or no token after the scheme): §3.1 says a request
 * without authentication information SHOULD NOT get one. The scheme's name is case-insensitive. */
function bearerChallenge(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^bearer +\S/i.test(header) ? 'Bearer error="invalid_token"' : 'Bearer';
}

/** Why an event sent to a category that no channel followed when it was handed to them is
 * undeliverable (README, GET: "or no channel is subscribed"), and what the sender can do. */
function unfollowedReason(record: IntakeRecord, channels: readonly ChannelStatus[]): string | undefined {
  const target = record.event?.target;
  const category =
    typeof target === 'object' && target !== null && 'category' in target ? String(target.category) : undefined;
  if (channels.length > 0 || category === undefined) return undefined;
  return (
    `No channel follows the category ${category}, so no card was posted: a team owner turns it on in a ` +
    `channel of a team Governance Bot is in (alerts on ${category}). This event is not sent again; send ` +
    'it under a new eventId once a channel follows the category.'
  );
}

export function mountNotifications(server: restify.Server, intake: NotificationIntake): void {
  const authorize = async (req: restify.Request, res: restify.Response): Promise<boolean> => {
    const header = req.headers.authorization;
    const result = await intake.auth.check(typeof header === 'string' ? header : undefined);
    if (result.ok) return true;
    intake.logger.warn(
      { event: 'notifications.refused', status: result.status, reason: result.reason },
      'notification refused',
    );
    if (result.status === 503) res.setHeader('retry-after', RETRY_AFTER_SECONDS);
    if (result.status === 401) res.setHeader('www-authenticate', bearerChallenge(header));
    // A token that does not enable access (no Notifications.Send role, or a user's token) is
    // insufficient_scope (RFC 6750 §3.1); no `scope` is named: an app role is missing, not a scope.
    if (result.status === 403) res.setHeader('www-authenticate', 'Bearer error="insufficient_scope"');
    res.send(result.status, { error: result.reason });
    return false;
  };

  /** Anything that goes wrong past authentication: logged with a correlation id, answered 503. */
  const unavailable = (res: restify.Response, e: unknown, operation: 'authenticate' | 'accept' | 'status') => {
    const correlationId = randomUUID();
    intake.logger.error({ event: 'notifications.unavailable', operation, correlationId, err: e }, 'intake failed');
    res.setHeader('retry-after', RETRY_AFTER_SECONDS);
    res.send(503, { error: operation === 'status' ? UNAVAILABLE_GET : UNAVAILABLE_POST, correlationId });
  };

  /** What GET reports of an event, from its record as read: the record (none while its row is not
   * stored), its channels (an event sent to a category, once handed to them; an action's alert),
   * and one state: the channels' combined state, else the record's own. */
  const statusOf = async (eventId: string, found: IntakeRecord | null) => {
    // A record whose row is not stored is of an event not accepted: its POST is still at work, or
    // answered 503 and could not take it back (it expires soon). Reported queued, the event would
    // be taken for on its way by a caller that checks instead of sending it again.
    const record = found && !rowPending(found) ? found : null;
    const channels = intake.channels ? await intake.channels(eventId, record) : null;
    return { record, channels, state: channels ? fanoutState(channels) : record?.state };
  };

  server.post('/api/notifications', async (req, res) => {
    try {
      if (!(await authorize(req, res))) return;
    } catch (e) {
      unavailable(res, e, 'authenticate');
      return;
    }
    const body = await readJsonBody(req, MAX_EVENT_BYTES, intake.bodyTimeoutMs);
    if (body.kind === 'aborted') return;
    if (body.kind === 'timeout') {
      // The rest of the body is not read: close the connection after answering.
      res.setHeader('connection', 'close');
      res.send(408, { error: 'The event did not arrive in time; nothing was stored. Send it again.' });
      return;
    }
    if (body.kind === 'tooLarge') {
      // The rest of an oversize body is not read: close the connection after answering.
      res.setHeader('connection', 'close');
      res.send(413, { error: `An event may be at most ${MAX_EVENT_BYTES} bytes.` });
      return;
    }
    if (body.kind === 'unsupported') {
      res.send(415, { error: body.problem });
      return;
    }
    const now = (intake.now ?? Date.now)();
    const parsed =
      body.kind === 'json' ? parseEvent(body.value, now) : { ok: false as const, problems: [body.problem] };
    // A name given twice is read one way here and may be another elsewhere (duplicateNames.ts).
    const twice = body.kind === 'json' ? duplicateNameProblem(body.text) : null;
    if (!parsed.ok || twice) {
      const problems = [...(twice ? [twice] : []), ...(parsed.ok ? [] : parsed.problems)];
      res.send(400, { error: 'The event is not valid; nothing was stored.', problems });
      return;
    }
    let outcome: 'created' | 'duplicate';
    try {
      outcome = await intake.store.accept(parsed.event);
    } catch (e) {
      unavailable(res, e, 'accept');
      return;
    }
    const eventId = parsed.event.eventId;
    if (outcome === 'created') intake.deliverer.kick(eventId);
    // The event is stored: a status that cannot be read now is no reason to answer 503 (the
    // caller would take it as not stored). A new event is known to be queued; a duplicate's state
    // is the one GET reports (an event handed to its channels: theirs), left out when it cannot be
    // read now (the status URL tells it later) or GET reports none (its record gone: a 404).
    const statusFailed = (e: unknown) => {
      intake.logger.warn({ event: 'notifications.status.failed', err: e }, 'status read after accept failed');
      return null;
    };
    const record =
      outcome === 'created' ? null : await intake.store.get(eventId).then((found) => ({ found }), statusFailed);
    const state =
      outcome === 'created'
        ? 'queued'
        : record
          ? await statusOf(eventId, record.found).then((status) => status.state, statusFailed)
          : undefined;
    // A duplicate stored nothing: its notices tell of the event stored first (its moment is the one
    // reminded; another event sent under its id was not stored), and are left out with its state
    // when that cannot be read.
    const notices =
      outcome === 'created'
        ? parsed.notices
        : record?.found
          ? [
              ...otherEventNotices(record.found.event, parsed.event),
              ...storedExpiryNotices(
                record.found.event?.approvalExpiresAt,
                body.kind === 'json' ? body.value : null,
                now,
              ),
            ]
          : undefined;
    res.send(202, {
      eventId,
      accepted: outcome === 'created' ? 'new' : 'duplicate',
      ...(state ? { state } : {}),
      status: `/api/notifications/${encodeURIComponent(eventId)}`,
      ...(notices && notices.length > 0 ? { notices } : {}),
    });
  });

  server.get('/api/notifications/:eventId', async (req, res) => {
    try {
      if (!(await authorize(req, res))) return;
      const eventId = String(req.params.eventId ?? '');
      const { record, channels, state } = await statusOf(eventId, await intake.store.get(eventId));
      if (!record) {
        if (channels) res.send(200, { eventId, state, channels });
        else res.send(404, { error: 'No event with this id was accepted.' });
        return;
      }
      const reason = record.reason ?? (channels ? unfollowedReason(record, channels) : undefined);
      res.send(200, {
        eventId,
        state,
        ...(channels ? { channels } : {}),
        acceptedAt: record.acceptedAt,
        attempts: record.attempts,
        ...(record.activityId ? { activityId: record.activityId } : {}),
        ...(record.conversationId ? { conversationId: record.conversationId } : {}),
        ...(reason ? { reason } : {}),
      });
    } catch (e) {
      unavailable(res, e, 'status');
    }
  });
}
