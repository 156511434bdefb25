// One bot instance of figure (e), as its own OS process: the same delivery stack the app builds
// (SQLite state, the alert parts of createAlerts, the delivery worker) over a state file other
// instances share, sending to the limits connector. Forked by alertsFanout.ts with
// `--db <file> --connector <url> --tenant <id> --owner <name>`; it answers "ready" once built,
// starts on "start", and stops (drains, closes the store) and exits on "stop".

import { createLogger } from '../src/log';
import { createAlerts } from '../src/notifications/alertsSetup';
import { SendCard } from '../src/notifications/delivery';
import { NotificationStore } from '../src/notifications/store';
import { DeliveryWorker } from '../src/notifications/worker';
import { CardBindings } from '../src/state/cardBindings';
import { ConversationReferences } from '../src/state/references';
import { SqliteState } from '../src/state/sqlite';

export const SEND_TIMEOUT_MS = 10_000;

/** A send to the connector, as the Bot Connector client makes it: an error carries the status
 * and the response headers (Retry-After), so the worker reads it like botbuilder's RestError. */
export function connectorSend(connectorUrl: string, tenantId: string): SendCard {
  return async (reference, card, signal) => {
    const channelId = reference.conversation?.id ?? '';
    const res = await fetch(`${connectorUrl}/v3/conversations/${encodeURIComponent(channelId)}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        conversation: { id: channelId, tenantId },
        attachments: [card.attachment],
        summary: card.summary,
      }),
      signal,
    });
    const body = (await res.json()) as { id?: string };
    if (!res.ok) {
      throw Object.assign(new Error(`connector answered ${res.status}`), {
        statusCode: res.status,
        response: { headers: { 'retry-after': res.headers.get('retry-after') ?? undefined } },
      });
    }
    return body.id;
  };
}

/** The stack of one instance over its own connection to the shared state file. */
export function buildInstance(opts: { db: string; connectorUrl: string; tenantId: string; owner: string }) {
  const state = new SqliteState(opts.db);
  const logger = createLogger({ level: 'silent' });
  const send = connectorSend(opts.connectorUrl, opts.tenantId);
  const alerts = createAlerts({
    state,
    bindings: new CardBindings(state.records),
    send,
    logger,
    owner: opts.owner,
    tenantId: opts.tenantId,
    servedTenant: null,
    sendTimeoutMs: SEND_TIMEOUT_MS,
  });
  const worker = new DeliveryWorker({
    store: new NotificationStore(state),
    references: new ConversationReferences(state.records),
    bindings: new CardBindings(state.records),
    send,
    render: () => {
      throw new Error('no notification events in this figure');
    },
    logger,
    servedTenant: null,
    alerts: alerts.workerHook,
    channelReference: alerts.channelReference,
    concurrency: 32,
    pollMs: 50,
    sendTimeoutMs: SEND_TIMEOUT_MS,
  });
  return { state, alerts, worker };
}

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (!value) throw new Error(`alertsInstance: --${name} is required`);
  return value;
}

if (require.main === module && process.send) {
  const instance = buildInstance({
    db: arg('db'),
    connectorUrl: arg('connector'),
    tenantId: arg('tenant'),
    owner: arg('owner'),
  });
  process.on('message', (message: unknown) => {
    if (message === 'start') instance.worker.start();
    if (message === 'stop') {
      void (async () => {
        await instance.worker.stop(2_000);
        await instance.state.close();
        process.exit(0);
      })();
    }
  });
  process.send('ready');
}
