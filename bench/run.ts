// npm run bench: figures, not assertions. Both servers run as separate processes exactly as in
// production (inbound JWT validation on, managed-identity bot token), on loopback:
//   - Governance Bot: a `cancel role-request` turn (signed-in user, real Graph client, the
//     simulated tenant over HTTPS), each turn on a fresh request so every turn is a full success;
//   - baseline: the same server with a bare botbuilder echo handler.
// A turn is one signed POST to /api/messages until its HTTP answer, which botbuilder sends after
// the reply reached the connector. The simulated tenant's own handler time is measured and
// subtracted per turn ("simulator latency excluded").

import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../src/paths';
import { SimRequest } from '../src/sandbox/envelope';
import { BotProcess, invoke, message, post, startBot, startWorld, userOf } from '../test/e2e/harness';

const N1 = Number(process.env.BENCH_TURNS ?? 400);
const N32 = Number(process.env.BENCH_TURNS_32 ?? 1600);
const WARMUP = 50;
const ROUNDS = 5;
const CLICKS = Number(process.env.BENCH_CLICKS ?? 300);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 1000);
const CLICKS_PER_TRIAL = 4;

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function rssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function main(): Promise<void> {
  const world = await startWorld();
  const original = world.tenant.handle.bind(world.tenant);
  let simSpent = 0;
  world.tenant.handle = (req: SimRequest) => {
    const t0 = process.hrtime.bigint();
    try {
      return original(req);
    } finally {
      simSpent += Number(process.hrtime.bigint() - t0) / 1e6;
    }
  };
  const gov = await startBot(world, world.botEnv());
  const echo = await startBot(world, world.botEnv(), path.join(projectRoot(), 'dist', 'bench', 'echoBot.js'));
  const admin = userOf(world.seed, 0);

  // Sign the admin in once through the real SSO path.
  await post(world, gov, message(world, admin, 'help'));
  const first = await post(
    world,
    gov,
    message(world, admin, `cancel role-request ${world.seed.examples.roleRequestId}`),
  );
  if (first.status !== 200) throw new Error(`first command: ${first.status}`);
  const oauth = await world.waitFor((c) => JSON.stringify(c.activity).includes('tokenExchangeResource'));
  const id = (oauth.activity.attachments as Array<{ content: { tokenExchangeResource: { id: string } } }>)[0]!.content
    .tokenExchangeResource.id;
  const sso = world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId);
  const ex = await post(
    world,
    gov,
    invoke(world, admin, 'signin/tokenExchange', { id, connectionName: '', token: sso }),
  );
  if (ex.status !== 200) throw new Error(`token exchange: ${ex.status}`);
  await new Promise((r) => setTimeout(r, 500));

  const freshRequest = (): string => {
    const rid = randomUUID();
    world.tenant.addRoleRequest({
      id: rid,
      status: 'PendingApproval',
      roleName: 'Global Administrator',
      principal: 'Adele Vance',
      justification: 'bench',
      duration: 'PT8H',
    });
    return rid;
  };
  const freshCommand = (): string => `cancel role-request ${freshRequest()}`;

  async function turns(bot: BotProcess, count: number, concurrency: number, text: () => string) {
    const latencies: number[] = [];
    const excluded: number[] = [];
    let next = 0;
    let failures = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < count) {
        next++;
        const activity = message(world, admin, text());
        const simBefore = simSpent;
        const t0 = performance.now();
        const res = await post(world, bot, activity);
        const ms = performance.now() - t0;
        if (res.status !== 200) failures++;
        latencies.push(ms);
        excluded.push(ms - (simSpent - simBefore));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    excluded.sort((a, b) => a - b);
    return { latencies, excluded, perSecond: count / seconds, failures };
  }

  const graphWritesBefore = world.tenant.graphRequests().length;
  await turns(gov, WARMUP, 1, freshCommand);
  await turns(echo, WARMUP, 1, () => 'hello');
  // Rounds alternate the two servers so drifting machine noise hits both alike; latencies are
  // pooled across rounds, throughput is the median of the rounds.
  type Run = Awaited<ReturnType<typeof turns>>;
  const pool = (runs: Run[]): Run => ({
    latencies: runs.flatMap((r) => r.latencies).sort((a, b) => a - b),
    excluded: runs.flatMap((r) => r.excluded).sort((a, b) => a - b),
    perSecond: pct(
      runs.map((r) => r.perSecond).sort((a, b) => a - b),
      50,
    ),
    failures: runs.reduce((n, r) => n + r.failures, 0),
  });
  const acc = { g1: [] as Run[], e1: [] as Run[], g32: [] as Run[], e32: [] as Run[] };
  for (let round = 0; round < ROUNDS; round++) {
    acc.g1.push(await turns(gov, N1 / ROUNDS, 1, freshCommand));
    acc.e1.push(await turns(echo, N1 / ROUNDS, 1, () => 'hello'));
    acc.g32.push(await turns(gov, N32 / ROUNDS, 32, freshCommand));
    acc.e32.push(await turns(echo, N32 / ROUNDS, 32, () => 'hello'));
  }
  const g1 = pool(acc.g1);
  const e1 = pool(acc.e1);
  const g32 = pool(acc.g32);
  const e32 = pool(acc.e32);
  const graphCalls = world.tenant.graphRequests().length - graphWritesBefore;
  const rssGov = rssMiB(gov.child.pid);
  const rssEcho = rssMiB(echo.child.pid);

  // Clicks: a second Governance Bot process shares the durable state with the first.
  const gov2 = await startBot(world, world.botEnv());
  const clickActivity = (id: string, cardId: string, extra: Record<string, unknown> = {}) => ({
    ...invoke(world, admin, 'adaptiveCard/action', {
      action: {
        type: 'Action.Execute',
        verb: 'governance.act',
        data: { verb: 'governance.act', operation: 'cancelRoleRequest', ids: { requestId: id } },
      },
      trigger: 'manual',
      ...extra,
    }),
    replyToId: cardId,
  });
  for (const b of [gov, gov2]) {
    const auth = {
      authentication: {
        id: 'bench',
        connectionName: '',
        token: world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId),
      },
    };
    const r = await post(world, b, clickActivity(freshRequest(), 'warm', auth));
    if (r.status !== 200) throw new Error(`click sign-in: ${r.status} ${r.body}`);
  }
  const clickMs: number[] = [];
  for (let i = 0; i < CLICKS; i++) {
    const t0 = performance.now();
    const r = await post(world, gov, clickActivity(freshRequest(), `card-${i}`));
    clickMs.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`click: ${r.status}`);
  }
  clickMs.sort((a, b) => a - b);
  const writesPerTrial = new Map<number, number>();
  for (let t = 0; t < TRIALS; t++) {
    const id = freshRequest();
    await Promise.all(
      Array.from({ length: CLICKS_PER_TRIAL }, (_, i) =>
        post(world, i % 2 === 0 ? gov : gov2, clickActivity(id, `trial-${t}`)),
      ),
    );
    const writes = world.tenant.requests.filter((r) => r.method === 'POST' && r.path.includes(id)).length;
    writesPerTrial.set(writes, (writesPerTrial.get(writes) ?? 0) + 1);
  }
  world.tenant.clearLog();
  await gov2.stop();

  const f = (n: number) => n.toFixed(2);
  /** One figure for both servers and their ratio. */
  const row = (label: string, gov: number, echo: number): string[] => [label, f(gov), f(echo), f(gov / echo)];
  const rows = [
    ['figure', 'Governance Bot (cancel role-request)', 'echo baseline', 'ratio'],
    row('median turn, c=1 (ms)', pct(g1.latencies, 50), pct(e1.latencies, 50)),
    row('p99 turn, c=1 (ms)', pct(g1.latencies, 99), pct(e1.latencies, 99)),
    row('median turn, c=1, simulator excluded (ms)', pct(g1.excluded, 50), pct(e1.excluded, 50)),
    row('p99 turn, c=1, simulator excluded (ms)', pct(g1.excluded, 99), pct(e1.excluded, 99)),
    row('turns/s, c=1', g1.perSecond, e1.perSecond),
    row('turns/s, c=32', g32.perSecond, e32.perSecond),
    row('median turn, c=32 (ms)', pct(g32.latencies, 50), pct(e32.latencies, 50)),
    row('p99 turn, c=32 (ms)', pct(g32.latencies, 99), pct(e32.latencies, 99)),
    row('RSS after the turns (MiB)', rssGov, rssEcho),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
  console.log(
    `\nturns: ${N1} at c=1 and ${N32} at c=32 per server in ${ROUNDS} alternating rounds after ${WARMUP} warm-up turns; failed turns: governance ${g1.failures + g32.failures}, echo ${e1.failures + e32.failures}; ` +
      `Graph requests served: ${graphCalls}; simulator handler time in total: ${simSpent.toFixed(0)} ms. Node ${process.version}, ${os()}.`,
  );

  console.log(
    `\nclick to response (Action.Execute, read state + durable claim + Graph write + card update), ${CLICKS} clicks: median ${f(pct(clickMs, 50))} ms, p99 ${f(pct(clickMs, 99))} ms`,
  );
  const distribution = [...writesPerTrial.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([w, n]) => `${n} trials with ${w} write${w === 1 ? '' : 's'}`);
  console.log(
    `duplicate clicks: ${TRIALS} trials of ${CLICKS_PER_TRIAL} simultaneous clicks split over two bot processes sharing the state directory: ${distribution.join(', ')} (Graph writes per trial must be exactly 1)`,
  );

  await gov.stop();
  await echo.stop();
  await world.close();
}

function os(): string {
  const cpus = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 0;
  return `${cpus} cores`;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
