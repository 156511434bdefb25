// Figure (e), issue 10: channel alerts at Teams' limits. N alerts in all (events announced to a
// category that C channels follow: N / C events x C channels) go through the real delivery worker
// (outbox rows, the alert worker, the send scheduler on the shared SQLite store) to a connector
// that enforces the Teams limits (per thread 7/1 s, 8/2 s, 60/30 s, 1,800/h; per tenant 30/s) and
// injects extra 429s. Measured: the achieved rate as a fraction of the binding ceiling (the
// tenant's 30 per second: 50 threads allow far more), cards lost (never accepted) and duplicates
// (accepted twice for the same channel and event), with one bot instance and with two sharing
// the store. Each instance is its own OS process (bench/alertsInstance.ts) with its own connection
// to the one SQLite state file, its own scheduler and worker, as two bot processes on one machine.

import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLimitsConnector } from '../test/fixtures/teamsLimitsConnector';
import { buildInstance } from './alertsInstance';
import { f2, printTable } from './stats';

const TENANT = 'bench-tenant';
const TEAM = '19:bench-team@thread.tacv2';
const CEILING_PER_SECOND = 30;

/** Forks one instance (bench/alertsInstance.ts) and resolves once its stack is built. */
function forkInstance(args: { db: string; connectorUrl: string; owner: string }): Promise<ChildProcess> {
  const child = fork(
    path.join(__dirname, 'alertsInstance.js'),
    ['--db', args.db, '--connector', args.connectorUrl, '--tenant', TENANT, '--owner', args.owner],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) =>
      reject(new Error(`bench instance ${args.owner} exited (${code}) before it was ready`)),
    );
  });
}

/** Asks an instance to stop and waits for its process to end (killed if it does not in time). */
function stopInstance(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send('stop');
  });
}

interface Run {
  readonly instances: number;
  readonly accepted: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly seconds: number;
  readonly rate: number;
  readonly throttles: Record<string, number>;
  readonly deadLetters: number;
}

async function runOnce(opts: {
  alerts: number;
  channels: number;
  instances: number;
  extra429Rate: number;
}): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-bench-alerts-'));
  const connector = await startLimitsConnector({
    extra429Rate: opts.extra429Rate,
    seed: 10,
    injectedRetryAfterSeconds: 1,
  });
  const channels = Array.from({ length: opts.channels }, (_, i) => `19:bench-${i}@thread.tacv2`);
  const events = Math.ceil(opts.alerts / opts.channels);
  const expected = events * opts.channels;
  const db = path.join(dir, 'state.db');
  // This process only prepares the store and counts; the instances are separate processes.
  const setup = buildInstance({ db, connectorUrl: connector.url, tenantId: TENANT, owner: 'bench-setup' });
  const children: ChildProcess[] = [];
  try {
    const { alerts } = setup;
    await alerts.subscriptions.setTeamChannels(
      TEAM,
      channels.map((id) => ({ id, name: id })),
    );
    await alerts.reach.rememberTeam(TEAM, {
      serviceUrl: connector.serviceUrl,
      channelId: 'msteams',
      conversation: { id: TEAM, tenantId: TENANT },
    });
    const actor = { userId: null, correlationId: 'bench' };
    for (const channelId of channels)
      await alerts.subscriptions.setCategory({ teamId: TEAM, channelId }, 'workflowRuns', true, actor);
    for (let e = 0; e < events; e++) {
      const card = {
        attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: { e } },
        summary: `run-${e}`,
      };
      await alerts.store.publish({ eventId: `run-${e}`, category: 'workflowRuns', card });
    }
    for (let i = 0; i < opts.instances; i++) {
      children.push(await forkInstance({ db, connectorUrl: connector.url, owner: `bench-instance-${i}` }));
    }
    for (const child of children) child.send('start');
    // Everything is accepted, or the run ends well after the slowest possible schedule.
    const limit = (expected / CEILING_PER_SECOND) * 1000 * 3 + 60_000;
    await connector.waitForAccepted(expected, limit).catch(() => undefined);
    // Let stragglers (a possible second copy) arrive before counting.
    await new Promise((r) => setTimeout(r, 1_500));
    const sends = connector.accepted.filter((a) => a.kind === 'send');
    const key = (a: (typeof sends)[number]) => `${a.threadId}|${String(a.activity.summary)}`;
    const unique = new Set(sends.map(key));
    const times = sends.map((a) => a.at).sort((x, y) => x - y);
    const seconds = times.length > 1 ? (times[times.length - 1]! - times[0]!) / 1000 : 0;
    // n sends span n - 1 intervals of the ceiling.
    const rate = seconds > 0 ? (sends.length - 1) / seconds : 0;
    const throttles: Record<string, number> = {};
    for (const t of connector.throttles) throttles[t.why] = (throttles[t.why] ?? 0) + 1;
    let deadLetters = 0;
    for (let e = 0; e < events; e++) {
      deadLetters += ((await alerts.channels(`run-${e}`)) ?? []).filter((c) => c.state === 'deadLetter').length;
    }
    return {
      instances: opts.instances,
      accepted: sends.length,
      lost: expected - unique.size,
      duplicates: sends.length - unique.size,
      seconds,
      rate,
      throttles,
      deadLetters,
    };
  } finally {
    await Promise.all(children.map(stopInstance));
    await setup.state.close();
    await connector.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runAlertsFanout(scale: number): Promise<void> {
  const channels = 50;
  const alerts = Math.max(channels, Math.round(1000 * scale));
  const extra429Rate = 0.02;
  const runs: Run[] = [];
  for (const instances of [1, 2]) runs.push(await runOnce({ alerts, channels, instances, extra429Rate }));
  printTable(
    `(e) channel alerts: ${alerts} alerts to ${channels} channels at the Teams limits, ${extra429Rate * 100}% extra 429s injected (ceiling ${CEILING_PER_SECOND}/s per tenant; target >= 90%, lost 0, duplicates 0)`,
    [
      [
        'bot processes',
        'accepted',
        'lost',
        'duplicates',
        'seconds',
        'sends/s',
        'of ceiling',
        'target met',
        '429s (why)',
        'dead letters',
      ],
      ...runs.map((r) => {
        const fraction = r.rate / CEILING_PER_SECOND;
        const throttles = Object.entries(r.throttles)
          .map(([why, n]) => `${n} ${why}`)
          .join(', ');
        return [
          String(r.instances),
          String(r.accepted),
          String(r.lost),
          String(r.duplicates),
          f2(r.seconds),
          f2(r.rate),
          `${f2(fraction * 100)}%`,
          fraction >= 0.9 && r.lost === 0 && r.duplicates === 0 ? 'yes' : 'no',
          throttles || 'none',
          String(r.deadLetters),
        ];
      }),
    ],
  );
}
