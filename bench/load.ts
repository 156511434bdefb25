// Drives turns at a given concurrency and measures them. A turn is one signed POST to /api/messages
// until its HTTP answer, which botbuilder sends after the reply reached the connector. The
// simulated tenant runs in this process; its own handler time is measured so it can be subtracted.

import { SimRequest } from '../src/sandbox/envelope';
import { BotProcess, World, post } from '../test/e2e/harness';
import { pct } from './stats';

export interface Run {
  /** Wall time per turn, sorted. */
  readonly latencies: number[];
  /** Wall time minus the simulated tenant's handler time during the turn, sorted. */
  readonly excluded: number[];
  readonly perSecond: number;
  readonly failures: number;
}

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
  latencies.sort((a, b) => a - b);
  excluded.sort((a, b) => a - b);
  return { latencies, excluded, perSecond: count / seconds, failures };
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
    failures: runs.reduce((n, r) => n + r.failures, 0),
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
