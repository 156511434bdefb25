// The alert worker over the outbox on one shared SQLite file (alertsOnSqlite.ts), as the
// alerts.worker*.test.ts files drive it: one team of four channels, every one subscribed to
// workflow runs and reachable; bot instances with their own connection; and a pass of the worker
// that takes due rows one at a time.

import { Alerts } from '../../src/notifications/alertsSetup';
import { SendCard } from '../../src/notifications/delivery';
import { CardBindings } from '../../src/state/cardBindings';
import { SqliteState } from '../../src/state/sqlite';
import { AlertsInstance, alertsOnSqlite } from './alertsOnSqlite';

const TEAM = '19:team@thread.tacv2';
export const CHANNELS = Array.from({ length: 4 }, (_, i) => `19:ch${i}@thread.tacv2`);
export const actor = { userId: 'owner', correlationId: 'c' };
export const card = {
  attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [] } },
  summary: 's',
};

/** Registers the mocha hooks of a fresh shared file per test. */
export function alertsWorkerSession() {
  const w = alertsOnSqlite('govbot-alerts-worker-');
  const { posted } = w;
  /** One bot instance: its own connection to the shared store. */
  const instance = (
    name: string,
    send?: SendCard,
    maxAttempts?: number,
    bindingsOf?: (state: SqliteState) => CardBindings,
  ): AlertsInstance =>
    w.instance(name, {
      ...(send ? { send } : {}),
      ...(maxAttempts ? { maxAttempts } : {}),
      ...(bindingsOf ? { bindingsOf } : {}),
    });

  async function subscribeAll(alerts: Alerts): Promise<void> {
    await alerts.subscriptions.setTeamChannels(
      TEAM,
      CHANNELS.map((id) => ({ id, name: id })),
    );
    await alerts.reach.rememberTeam(TEAM, {
      serviceUrl: 'https://smba.test/',
      channelId: 'msteams',
      conversation: { id: TEAM, tenantId: 'tenant-1' },
    });
    for (const channelId of CHANNELS)
      await alerts.subscriptions.setCategory({ teamId: TEAM, channelId }, 'workflowRuns', true, actor);
  }

  /** Handles due rows one at a time, `limit` at most; answers how many. */
  async function work(i: { state: SqliteState; alerts: Alerts }, limit = Infinity): Promise<number> {
    const stop = new AbortController().signal;
    let n = 0;
    while (n < limit) {
      const row = await i.state.outbox.lease(30_000);
      if (!row) break;
      await i.alerts.worker.handle(row, stop);
      n++;
    }
    return n;
  }

  return { w, posted, instance, subscribeAll, work };
}
