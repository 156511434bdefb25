// HTTP intake for notifications: POST /api/notifications and GET /api/notifications/{eventId}.

import type * as restify from 'restify';
import type { Logger } from 'pino';
import { Deliverer } from './delivery';
import { MAX_EVENT_BYTES, parseEvent } from './events';
import { IntakeAuthenticator } from './intakeAuth';
import { NotificationStore } from './store';

export interface NotificationIntake {
  readonly auth: IntakeAuthenticator;
  readonly store: NotificationStore;
  readonly deliverer: Deliverer;
  readonly logger: Logger;
}

export function mountNotifications(server: restify.Server, intake: NotificationIntake): void {
  const authorize = async (req: restify.Request, res: restify.Response): Promise<boolean> => {
    const header = req.headers.authorization;
    const result = await intake.auth.check(typeof header === 'string' ? header : undefined);
    if (!result.ok) {
      intake.logger.warn(
        { event: 'notifications.refused', status: result.status, reason: result.reason },
        'notification refused',
      );
      res.send(result.status, { error: result.reason });
      return false;
    }
    return true;
  };

  server.post('/api/notifications', async (req, res) => {
    if (!(await authorize(req, res))) return;
    if (req.getContentLength() > MAX_EVENT_BYTES) {
      res.send(413, { error: `An event may be at most ${MAX_EVENT_BYTES} bytes.` });
      return;
    }
    const parsed = parseEvent(req.body);
    if (!parsed.ok) {
      res.send(400, { error: 'The event is not valid; nothing was stored.', problems: parsed.problems });
      return;
    }
    const outcome = await intake.store.accept(parsed.event);
    if (outcome === 'created') intake.deliverer.kick(parsed.event.eventId);
    const record = await intake.store.get(parsed.event.eventId);
    res.send(202, {
      eventId: parsed.event.eventId,
      accepted: outcome === 'created' ? 'new' : 'duplicate',
      state: record?.state ?? 'queued',
      status: `/api/notifications/${encodeURIComponent(parsed.event.eventId)}`,
    });
  });

  server.get('/api/notifications/:eventId', async (req, res) => {
    if (!(await authorize(req, res))) return;
    const eventId = String(req.params.eventId ?? '');
    const record = await intake.store.get(eventId);
    if (!record) {
      res.send(404, { error: 'No event with this id was accepted.' });
      return;
    }
    res.send(200, {
      eventId,
      state: record.state,
      acceptedAt: record.acceptedAt,
      attempts: record.attempts,
      ...(record.activityId ? { activityId: record.activityId } : {}),
      ...(record.conversationId ? { conversationId: record.conversationId } : {}),
      ...(record.reason ? { reason: record.reason } : {}),
    });
  });
}
