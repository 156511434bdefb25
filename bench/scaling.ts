// Turns that scale (issue 6.6): Governance Bot's command turn against the bare echo bot in the same
// run, in rounds that alternate the two servers.
//   - one user in one personal chat, at concurrency 1 and 32 (the figures kept from before);
//   - (a) 32 users, each in their own personal chat, at concurrency 32;
//   - (b) one channel where 50 users send 1,000 messages that @mention the bot, so the channel's
//     conversation reference (which names the sender) changes with every message.
// Every Governance Bot turn is `cancel role-request <a fresh pending request>`: sign-in done,
// real Graph client, the simulated tenant over HTTPS. In (a) and (b) a third server runs the same
// command as plainly as a bot can (bench/graphFloorBot.ts): the floor any bot making that Graph
// request stands on, so the tables say which part of the distance to the echo bot is the request's
// and which is Governance Bot's own.

import { BotProcess, Who, World, message } from '../test/e2e/harness';
import { Run, alternate, turns } from './load';
import { RATIO_HEADER, TARGETS, f2, median, peakRssMiB, pct, printTable, ratioRow, rssMiB } from './stats';
import { FLOOR_FAILED } from './baselineServer';
import { freshRoleRequest } from './users';

export const BUSY_CHANNEL = '19:bench-busy@thread.tacv2';

export interface ScalingSetup {
  readonly world: World;
  readonly simSpent: () => number;
  readonly gov: BotProcess;
  readonly echo: BotProcess;
  /** The echo bot plus the command's one Graph request (bench/graphFloorBot.ts). */
  readonly floor: BotProcess;
  /** Signed in on `gov`; the first is the one-user scenario's user. */
  readonly users: readonly Who[];
  readonly scale: number;
  readonly rounds: number;
}

const command = (s: ScalingSetup) => `cancel role-request ${freshRoleRequest(s.world.tenant)}`;

export async function runScaling(s: ScalingSetup): Promise<void> {
  const { world, gov, echo, floor, users, rounds } = s;
  const n = (full: number) => Math.max(rounds, Math.round((full * s.scale) / rounds) * rounds);
  const run = (bot: BotProcess, count: number, c: number, a: (w: number) => Record<string, unknown>) =>
    turns(world, s.simSpent, bot, count, c, a);
  const one = users[0]!;

  await run(gov, 50, 1, () => message(world, one, command(s)));
  await run(echo, 50, 1, () => message(world, one, 'hello'));
  await run(floor, 50, 1, () => message(world, one, command(s)));

  // One user, one personal chat.
  const N1 = n(400);
  const N32 = n(1600);
  const c1 = await alternate(rounds, {
    gov: () => run(gov, N1 / rounds, 1, () => message(world, one, command(s))),
    echo: () => run(echo, N1 / rounds, 1, () => message(world, one, 'hello')),
  });
  const c32 = await alternate(rounds, {
    gov: () => run(gov, N32 / rounds, 32, () => message(world, one, command(s))),
    echo: () => run(echo, N32 / rounds, 32, () => message(world, one, 'hello')),
  });
  printTable('One user in one personal chat (figures kept from earlier runs)', [
    ['figure', 'Governance Bot (cancel role-request)', 'echo baseline', 'ratio'],
    ratioRow('median turn, c=1 (ms)', pct(c1.gov.latencies, 50), pct(c1.echo.latencies, 50)).slice(0, 4),
    ratioRow('p99 turn, c=1 (ms)', pct(c1.gov.latencies, 99), pct(c1.echo.latencies, 99)).slice(0, 4),
    ratioRow('median turn, c=1, simulator excluded (ms)', pct(c1.gov.excluded, 50), pct(c1.echo.excluded, 50)).slice(
      0,
      4,
    ),
    ratioRow('p99 turn, c=1, simulator excluded (ms)', pct(c1.gov.excluded, 99), pct(c1.echo.excluded, 99)).slice(0, 4),
    ratioRow('turns/s, c=1', c1.gov.perSecond, c1.echo.perSecond).slice(0, 4),
    ratioRow('turns/s, c=32', c32.gov.perSecond, c32.echo.perSecond).slice(0, 4),
    ratioRow('median turn, c=32 (ms)', pct(c32.gov.latencies, 50), pct(c32.echo.latencies, 50)).slice(0, 4),
    ratioRow('p99 turn, c=32 (ms)', pct(c32.gov.latencies, 99), pct(c32.echo.latencies, 99)).slice(0, 4),
    ratioRow('RSS after these turns (MiB)', rssMiB(gov.child.pid), rssMiB(echo.child.pid)).slice(0, 4),
  ]);
  console.log(
    `turns: ${N1} at c=1 and ${N32} at c=32 per server in ${rounds} alternating rounds after 50 warm-up turns; ` +
      `failed turns: governance ${c1.gov.failures + c32.gov.failures}, echo ${c1.echo.failures + c32.echo.failures}`,
  );

  // (a) 32 users, each in their own personal chat.
  const personal = users.slice(0, 32);
  // The floor bot took no part in the one-user figures: it gets as many turns first, unmeasured, so
  // all three servers enter (a) with their code equally warm.
  await run(floor, N1, 1, () => message(world, one, command(s)));
  await run(floor, N32, 32, () => message(world, one, command(s)));
  const NA = n(1600);
  const a = await alternate(rounds, {
    gov: () => run(gov, NA / rounds, personal.length, (w) => message(world, personal[w]!, command(s))),
    echo: () => run(echo, NA / rounds, personal.length, (w) => message(world, personal[w]!, 'hello')),
    floor: () => run(floor, NA / rounds, personal.length, (w) => message(world, personal[w]!, command(s))),
  });
  const titleA = `(a) ${personal.length} users, each in their own personal chat, concurrency ${personal.length}`;
  scenarioTable(titleA, a, s);
  console.log(
    `turns: ${NA} per server in ${rounds} alternating rounds; failed turns: governance ${a.gov.failures}, ` +
      `echo ${a.echo.failures}, Graph floor ${a.floor.failures} (turns without a successful Graph write: ${floorGraphFailures(floor)})`,
  );

  // (b) One busy channel: 50 users, every message @mentions the bot.
  const crowd = users.slice(0, 50);
  const NB = n(1000);
  const inChannel = (who: Who, text: string) => message(world, who, text, 'channel', BUSY_CHANNEL);
  const b = await alternate(rounds, {
    gov: () => run(gov, NB / rounds, crowd.length, (w) => inChannel(crowd[w]!, command(s))),
    echo: () => run(echo, NB / rounds, crowd.length, (w) => inChannel(crowd[w]!, 'hello')),
    floor: () => run(floor, NB / rounds, crowd.length, (w) => inChannel(crowd[w]!, command(s))),
  });
  scenarioTable(
    `(b) one channel, ${crowd.length} users sending ${NB} messages (@mention), concurrency ${crowd.length}`,
    b,
    s,
  );
  console.log(
    `failed turns: governance ${b.gov.failures}, echo ${b.echo.failures}, Graph floor ${b.floor.failures} ` +
      `(turns without a successful Graph write so far: ${floorGraphFailures(floor)})`,
  );
}

/** The floor bot's turns whose Graph write failed (it answers them like any other turn). */
export function floorGraphFailures(floor: BotProcess): number {
  return floor.lines().filter((l) => l.event === FLOOR_FAILED).length;
}

function scenarioTable(title: string, r: { gov: Run; echo: Run; floor: Run }, s: ScalingSetup): void {
  const rss = { gov: rssMiB(s.gov.child.pid), echo: rssMiB(s.echo.child.pid), floor: rssMiB(s.floor.child.pid) };
  const peak = {
    gov: peakRssMiB(s.gov.child.pid),
    echo: peakRssMiB(s.echo.child.pid),
    floor: peakRssMiB(s.floor.child.pid),
  };
  printTable(title, [
    RATIO_HEADER,
    ratioRow('turns/s', r.gov.perSecond, r.echo.perSecond, TARGETS.throughput),
    ratioRow('median turn (ms)', pct(r.gov.latencies, 50), pct(r.echo.latencies, 50), TARGETS.median),
    ratioRow('p99 turn (ms)', pct(r.gov.latencies, 99), pct(r.echo.latencies, 99), TARGETS.p99),
    ratioRow('RSS after the scenario (MiB)', rss.gov, rss.echo, TARGETS.rss),
    ratioRow('peak RSS so far (MiB)', peak.gov, peak.echo),
    ratioRow('median turn, simulator excluded (ms)', pct(r.gov.excluded, 50), pct(r.echo.excluded, 50)),
    ratioRow('p99 turn, simulator excluded (ms)', pct(r.gov.excluded, 99), pct(r.echo.excluded, 99)),
  ]);
  const floorRow = (label: string, gov: number, floor: number, echo: number) => [
    label,
    f2(floor),
    f2(floor / echo),
    f2(gov / floor),
  ];
  printTable('', [
    ['figure', 'Graph floor bot', 'floor / echo', 'Governance Bot / floor'],
    floorRow('turns/s', r.gov.perSecond, r.floor.perSecond, r.echo.perSecond),
    floorRow('median turn (ms)', pct(r.gov.latencies, 50), pct(r.floor.latencies, 50), pct(r.echo.latencies, 50)),
    floorRow('p99 turn (ms)', pct(r.gov.latencies, 99), pct(r.floor.latencies, 99), pct(r.echo.latencies, 99)),
    floorRow('RSS after the scenario (MiB)', rss.gov, rss.floor, rss.echo),
    floorRow('peak RSS so far (MiB)', peak.gov, peak.floor, peak.echo),
  ]);
  // The spread of throughput: each round's ratio against the other server's round beside it (the
  // rounds alternate, so a round pairs with the one run just before or after it).
  const spread = (a: Run, b: Run): string => {
    const ratios = a.roundsPerSecond.map((x, i) => x / (b.roundsPerSecond[i] ?? NaN)).sort((x, y) => x - y);
    return `${f2(ratios[0]!)} to ${f2(ratios[ratios.length - 1]!)} (median ${f2(median(ratios))})`;
  };
  console.log(
    `turns/s ratio per round: Governance Bot / echo ${spread(r.gov, r.echo)}; ` +
      `floor / echo ${spread(r.floor, r.echo)}; Governance Bot / floor ${spread(r.gov, r.floor)}`,
  );
  // Which process bounds throughput: on two cores the bot and the harness (load, connector and the
  // simulated tenant, one Node thread) each have at most one core.
  printTable('', [
    ['CPU per turn (ms)', 'Governance Bot', 'echo baseline', 'Graph floor bot'],
    ['bot process', f2(r.gov.cpu.bot), f2(r.echo.cpu.bot), f2(r.floor.cpu.bot)],
    ['harness process', f2(r.gov.cpu.harness), f2(r.echo.cpu.harness), f2(r.floor.cpu.harness)],
  ]);
}
