// Drives turns at a given concurrency and measures them. A turn is one signed POST to /api/messages
// until its HTTP answer, which botbuilder sends after the reply reached the connector. The
// simulated tenant runs in this process; its own handler time is measured so it can be subtracted.

import * as fs from 'node:fs';
import { SimRequest } from '../src/sandbox/envelope';
import { BotProcess, World, post } from '../test/e2e/harness';
import { pct } from './stats';

export interface Run {
  /** Wall time per turn, sorted. */
  readonly latencies: number[];
  /** Wall time minus the simulated tenant's handler time during the turn, sorted. */
  readonly excluded: number[];
  readonly perSecond: number;
  /** Throughput of each round, in order (one entry for a single run). */
  readonly roundsPerSecond: readonly number[];
  readonly failures: number;
  /** CPU time per turn (ms): the bot's process, and this one (load, connector, simulated tenant). */
  readonly cpu: { readonly bot: number; readonly harness: number };
}

/** User plus system CPU time of a process so far (ms), from /proc (Linux). */
export function processCpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks; the command name in parentheses may hold spaces.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** Linux's USER_HZ: 100 on every architecture Node runs on. */
const CLOCK_TICKS = 100;
const ownCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Counts the simulated tenant's handler time, so turns can be reported without it. */
export function meterSimulator(world: World): () => number {
  const original = world.tenant.handle.bind(world.tenant);
  let spent = 0;
  world.tenant.handle = (req: SimRequest) => {
    const t0 = process.hrtime.bigint();
    try {
      return original(req);
    } finally {
      spent += Number(process.hrtime.bigint() - t0) / 1e6;
    }
  };
  return () => spent;
}

/**
 * `count` turns over `concurrency` workers; `activity(worker)` builds each turn's activity, so a
 * worker can stand for one user in one conversation.
 */
export async function turns(
  world: World,
  simSpent: () => number,
  bot: BotProcess,
  count: number,
  concurrency: number,
  activity: (worker: number) => Record<string, unknown>,
): Promise<Run> {
  const latencies: number[] = [];
  const excluded: number[] = [];
  let next = 0;
  let failures = 0;
  const botCpu0 = processCpuMs(bot.child.pid);
  const ownCpu0 = ownCpuMs();
  const started = performance.now();
  const worker = async (w: number) => {
    while (next < count) {
      next++;
      const a = activity(w);
      const simBefore = simSpent();
      const t0 = performance.now();
      const res = await post(world, bot, a);
      const ms = performance.now() - t0;
      if (res.status !== 200) failures++;
      latencies.push(ms);
      excluded.push(ms - (simSpent() - simBefore));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  const cpu = { bot: (processCpuMs(bot.child.pid) - botCpu0) / count, harness: (ownCpuMs() - ownCpu0) / count };
  latencies.sort((a, b) => a - b);
  excluded.sort((a, b) => a - b);
  return { latencies, excluded, perSecond: count / seconds, roundsPerSecond: [count / seconds], failures, cpu };
}

/** Rounds pooled: latencies together, throughput the median round. */
export function pooled(runs: readonly Run[]): Run {
  return {
    latencies: runs.flatMap((r) => r.latencies).sort((a, b) => a - b),
    excluded: runs.flatMap((r) => r.excluded).sort((a, b) => a - b),
    perSecond: pct(
      runs.map((r) => r.perSecond).sort((a, b) => a - b),
      50,
    ),
    roundsPerSecond: runs.map((r) => r.perSecond),
    failures: runs.reduce((n, r) => n + r.failures, 0),
    cpu: {
      bot: runs.reduce((n, r) => n + r.cpu.bot, 0) / runs.length,
      harness: runs.reduce((n, r) => n + r.cpu.harness, 0) / runs.length,
    },
  };
}

/**
 * Alternates the servers round by round so drifting machine noise hits them alike. Returns each
 * server's pooled runs under its name.
 */
export async function alternate<K extends string>(
  rounds: number,
  servers: Readonly<Record<K, () => Promise<Run>>>,
): Promise<Record<K, Run>> {
  const names = Object.keys(servers) as K[];
  const runs = new Map<K, Run[]>(names.map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) {
    for (const k of names) runs.get(k)!.push(await servers[k]());
  }
  return Object.fromEntries(names.map((k) => [k, pooled(runs.get(k)!)])) as Record<K, Run>;
}
