// npm run bench: figures, not assertions. Governance Bot and a bare botbuilder echo bot on the same
// server code run as separate processes exactly as in production (inbound JWT validation on,
// managed-identity bot token), on loopback, beside a simulated tenant and a recording connector
// (test/e2e/harness.ts). Only the public surface is used: /api/messages, /api/notifications.
//
//   node dist/bench/run.js              every figure (about 5-8 minutes on 2 cores)
//   node dist/bench/run.js --scale=0.25 the same with a quarter of every count
//   node dist/bench/run.js --only=scaling   the turn figures only (one user, (a), (b))
//   node dist/bench/run.js --only=approvals "my approvals" with 50 waiting, and "my requests", vs a plain command turn
//   node dist/bench/run.js --only=clicks    the click figures alone (answer time, duplicate clicks)
//   node dist/bench/run.js --profile    CPU profile of command turns on the three bots, grouped by area
//   node dist/bench/run.js --analyze=<dir> --turns=<n>   the same table again from kept profiles
//   node dist/bench/run.js --alerts     only figure (e), channel alerts at the Teams limits
//   node dist/bench/run.js --only=clickFaults   only figure (d), clicks while Graph hangs writes
//   node dist/bench/run.js --only=scaling --pin   the bot servers on a core of their own, the harness on the others (bench/pin.ts)
//   node dist/bench/run.js --only=scaling --gov-semi-space=8 --echo-semi-space=8   V8's young generation capped
//                                       (--max-semi-space-size, MiB) in Governance Bot's or the echo bot's processes

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../src/paths';
import { BotProcess, World, message, startBot, startWorld } from '../test/e2e/harness';
import { runMyApprovals } from './approvals';
import { runMyRequests } from './requests';
import { runAlertsFanout } from './alertsFanout';
import { runClickFaults } from './clickFaults';
import { runClicks } from './clicks';
import { meterSimulator, processCpuMs, turns } from './load';
import { runNotificationFaults } from './notifyFaults';
import { Breakdown, MODULE_LOADING, breakdown, newestProfile } from './profile';
import { floorGraphFailures, runScaling } from './scaling';
import { f2, machine, pool, printTable } from './stats';
import { addBenchUsers, freshRoleRequest, signIn, writeGraphTokens } from './users';
import { Pinning, pinCores } from './pin';

const dist = (...p: string[]) => path.join(projectRoot(), 'dist', ...p);
const ECHO = dist('bench', 'echoBot.js');
const FLOOR = dist('bench', 'graphFloorBot.js');
const GOV = dist('src', 'index.js');

function option(name: string): string | undefined {
  const arg = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  return arg === undefined ? undefined : (arg.split('=')[1] ?? '');
}

/** The environment of one kind of bot, with V8's semi-space cap from `--<kind>-semi-space=<MiB>` if given. */
function botEnv(world: World, kind: 'gov' | 'echo', extra: Record<string, string> = {}): Record<string, string> {
  const mib = option(`${kind}-semi-space`);
  if (mib === undefined) return world.botEnv(extra);
  if (!/^[1-9][0-9]*$/.test(mib)) throw new Error(`--${kind}-semi-space takes a whole number of MiB`);
  return world.botEnv({ ...extra, NODE_OPTIONS: `--max-semi-space-size=${mib}` });
}

async function main(): Promise<void> {
  const scale = Number(option('scale') ?? 1);
  if (!(scale > 0)) throw new Error('--scale must be a positive number');
  const started = performance.now();
  const semiSpace = option('gov-semi-space') !== undefined || option('echo-semi-space') !== undefined;
  const ownBots = option('alerts') !== undefined || option('profile') !== undefined || option('analyze') !== undefined;
  if (semiSpace && (ownBots || option('only') === 'clickFaults')) {
    throw new Error(
      '--gov-semi-space and --echo-semi-space go with the figures of the bots started here, not with --alerts, --profile, --analyze or --only=clickFaults',
    );
  }
  if (option('alerts') !== undefined) {
    console.log(`Governance Bot bench, ${machine()}, scale ${scale}: channel alerts only`);
    await section('(e)', () => runAlertsFanout(scale));
    console.log(`\nbench time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return;
  }
  const pin = option('pin') !== undefined;
  if (pin && option('only') !== 'scaling' && option('only') !== 'approvals') {
    throw new Error('--pin goes with --only=scaling or --only=approvals (the other figures start bots of their own)');
  }
  const pinning = pin ? pinCores() : null;
  const world = await startWorld();
  const simSpent = meterSimulator(world);
  const users = addBenchUsers(world, 50);
  console.log(`Governance Bot bench, ${machine()}, scale ${scale}${scale === 1 ? '' : ' (counts scaled)'}`);
  if (pinning) console.log(pinning.description);
  for (const kind of ['gov', 'echo']) {
    const mib = option(`${kind}-semi-space`);
    if (mib !== undefined)
      console.log(`${kind === 'gov' ? 'Governance Bot' : 'the echo bot'}: --max-semi-space-size=${mib}`);
  }
  try {
    const kept = option('analyze');
    if (kept) printProfiles(kept, Number(option('turns') ?? 4000 * scale));
    else if (option('profile') !== undefined) await profile(world, simSpent, users, scale);
    else if (option('only') === 'clickFaults')
      await section('(d)', () => runClickFaults(world, users, Math.round(1000 * scale)));
    else await everything(world, simSpent, users, scale, pinning);
  } finally {
    await world.close();
  }
  console.log(`\nbench time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

async function everything(
  world: World,
  simSpent: () => number,
  users: ReturnType<typeof addBenchUsers>,
  scale: number,
  pinning: Pinning | null,
): Promise<void> {
  let gov = await startBot(world, botEnv(world, 'gov'));
  const echo = await startBot(world, botEnv(world, 'echo'), ECHO);
  const tokens = writeGraphTokens(world, users);
  const floor = await startBot(world, world.botEnv({ BENCH_GRAPH_TOKENS_FILE: tokens.file }), FLOOR);
  for (const bot of [gov, echo, floor]) pinning?.bot(bot.child.pid);
  try {
    await pool(users, 8, (u) => signIn(world, gov, u));
    if (option('only') === 'clicks') {
      const second = await startBot(world, botEnv(world, 'gov'));
      await section('clicks', () =>
        runClicks(world, gov, second, users, { clicks: Math.round(300 * scale), trials: Math.round(1000 * scale) }),
      );
      await second.stop();
      return;
    }
    if (option('only') === 'approvals') {
      await section('my approvals', () => runMyApprovals({ world, simSpent, gov, approver: users[0]!, scale }));
      await section('my requests', () => runMyRequests({ world, simSpent, gov, user: users[0]!, scale }));
      return;
    }
    await section('scaling', () => runScaling({ world, simSpent, gov, echo, floor, users, scale, rounds: 5 }));
    await floor.stop();
    if (option('only') === 'scaling') return;
    await section('my approvals', () => runMyApprovals({ world, simSpent, gov, approver: users[0]!, scale }));
    await section('my requests', () => runMyRequests({ world, simSpent, gov, user: users[0]!, scale }));
    console.log(
      `Graph requests served so far: ${world.tenant.graphRequests().length}; simulator handler time: ${simSpent().toFixed(0)} ms`,
    );
    const gov2 = await startBot(world, botEnv(world, 'gov'));
    await section('clicks', () =>
      runClicks(world, gov, gov2, users, { clicks: Math.round(300 * scale), trials: Math.round(1000 * scale) }),
    );
    await gov2.stop();
    if (gov.child.exitCode !== null || gov.child.signalCode !== null) {
      console.log('\nthe first Governance Bot process had stopped; a new one runs the next figure');
      gov = await startBot(world, botEnv(world, 'gov'));
    }
    const bot = gov;
    await section('(c)', () => runNotificationFaults(world, bot, users.slice(0, 32), Math.round(400 * scale)));
  } finally {
    // The Graph tokens go first: a bot that fails to stop must not leave them on disk.
    tokens.remove();
    await gov.stop();
    await echo.stop();
    await floor.stop();
  }
  world.tenant.clearLog();
  await section('(d)', () => runClickFaults(world, users, Math.round(1000 * scale)));
  await section('(e)', () => runAlertsFanout(scale));
}

/** One figure failing must not hide the others: report it and go on. */
async function section(name: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    console.log(`\n${name}: the figure could not be taken: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Scenario (a) under V8's CPU profiler, for the three servers (Governance Bot, the Graph floor bot,
 * the echo bot); where each one's CPU time goes.
 */
async function profile(
  world: World,
  simSpent: () => number,
  users: ReturnType<typeof addBenchUsers>,
  scale: number,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-bench-profile-'));
  const personal = users.slice(0, 32);
  const profiled = async (name: string, entry: string, extra: Record<string, string> = {}): Promise<BotProcess> => {
    fs.mkdirSync(path.join(dir, name));
    const env = { ...world.botEnv(extra), BENCH_PROFILED_ENTRY: entry, BENCH_PROFILE_DIR: path.join(dir, name) };
    return startBot(world, env, dist('bench', 'profiledEntry.js'));
  };
  const started: BotProcess[] = [];
  const count = Math.round(4000 * scale);
  // The floor bot's Graph tokens live apart from the kept profiles and go when the run ends.
  const tokens = writeGraphTokens(world, personal);
  try {
    const gov = await profiled('gov', GOV);
    started.push(gov);
    const floor = await profiled('floor', FLOOR, { BENCH_GRAPH_TOKENS_FILE: tokens.file });
    started.push(floor);
    const echo = await profiled('echo', ECHO);
    started.push(echo);
    await pool(personal, 8, (u) => signIn(world, gov, u));
    // The same command, each turn on a fresh request, by the same users, on both bots that act on it.
    const cmd = () => `cancel role-request ${freshRoleRequest(world.tenant)}`;
    const cpu: Record<string, number> = {};
    const measured = async (name: string, bot: BotProcess, text: () => string) => {
      const before = profiledCpuMs(bot);
      const run = await turns(world, simSpent, bot, count, 32, (w) => message(world, personal[w]!, text()));
      cpu[name] = (profiledCpuMs(bot) - before) / count;
      return run;
    };
    const g = await measured('gov', gov, cmd);
    const fl = await measured('floor', floor, cmd);
    const e = await measured('echo', echo, () => 'hello');
    const floorGraphFailed = floorGraphFailures(floor);
    console.log(
      `\nprofiled: ${count} turns at c=32 by ${personal.length} users in their personal chats on each server ` +
        `(${f2(g.perSecond)} Governance Bot, ${f2(fl.perSecond)} floor, ${f2(e.perSecond)} echo turns/s under the profiler; ` +
        `failed turns ${g.failures} / ${fl.failures} / ${e.failures}; floor turns without a successful Graph write: ${floorGraphFailed})`,
    );
    // The profiler's samples are wall-clock intervals: on a machine others share, time spent
    // waiting for a core lands on whatever ran before it, and every area grows. The process's own
    // CPU time (/proc) does not: an area's share of the profile times this compares across runs.
    console.log(
      `CPU per turn of each bot process during its turns (/proc, user + system, the profiler included): ` +
        `${f2(cpu.gov!)} Governance Bot, ${f2(cpu.floor!)} floor, ${f2(cpu.echo!)} echo ms`,
    );
  } finally {
    // The Graph tokens go first: a bot that fails to stop must not leave them on disk.
    tokens.remove();
    for (const bot of started) await bot.stop();
  }
  printProfiles(dir, count);
}

/** CPU time so far (ms) of the bot a profiled entry started: the wrapper's child (profiledEntry.ts). */
function profiledCpuMs(bot: BotProcess): number {
  const pid = bot.child.pid;
  try {
    const child = Number(fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0]);
    return processCpuMs(child);
  } catch {
    return NaN;
  }
}

/** Prints where each server's CPU time went, from the profiles kept in `dir` (gov/, floor/, echo/). */
function printProfiles(dir: string, count: number): void {
  const load = (name: string): Breakdown | null => {
    const file = newestProfile(path.join(dir, name));
    return file ? breakdown(file) : null;
  };
  const gb = load('gov');
  const eb = load('echo');
  const fb = load('floor');
  if (!gb || !eb) throw new Error(`no CPU profile of Governance Bot or of the echo bot was written in ${dir}`);
  // Profiles kept before the floor bot was profiled have none: their two columns still print.
  if (!fb) console.log(`\nno floor bot profile in ${dir}: Governance Bot and echo only`);
  const columns: Array<readonly [string, Breakdown]> = [
    ['Governance Bot', gb],
    ...(fb ? [['floor', fb] as const] : []),
    ['echo', eb],
  ];
  const ms = (b: Breakdown, a: string) => b.areas.get(a) ?? 0;
  const areas = [...new Set(columns.flatMap(([, b]) => [...b.areas.keys()]))].sort((x, y) => ms(gb, y) - ms(gb, x));
  const cells = (b: Breakdown, a: string) => [f2(ms(b, a) / count), `${f2((ms(b, a) / b.busyMs) * 100)}%`];
  const turnMs = (b: Breakdown) => b.busyMs - ms(b, MODULE_LOADING);
  // The bot's own cost per area: what it spends over the least a bot making the same Graph call spends.
  const own = (a: string) => (fb ? [f2((ms(gb, a) - ms(fb, a)) / count)] : []);
  printTable('CPU time of the bot process by area (whole process, sign-in included; per turn = area time / turns)', [
    [
      'area',
      ...columns.flatMap(([name]) => [`${name} ms/turn`, 'share']),
      ...(fb ? ['Governance Bot − floor ms/turn'] : []),
    ],
    ...areas.map((a) => [a, ...columns.flatMap(([, b]) => cells(b, a)), ...own(a)]),
    [
      'total busy',
      ...columns.flatMap(([, b]) => [f2(b.busyMs / count), '100%']),
      ...(fb ? [f2((gb.busyMs - fb.busyMs) / count)] : []),
    ],
    // Start-up is paid once, not per turn: the total without it compares better across turn counts.
    [
      'busy less module loading',
      ...columns.flatMap(([, b]) => [f2(turnMs(b) / count), `${f2((turnMs(b) / b.busyMs) * 100)}%`]),
      ...(fb ? [f2((turnMs(gb) - turnMs(fb)) / count)] : []),
    ],
  ]);
  const byTime = [...gb.functions.entries()].sort((x, y) => y[1].ms - x[1].ms);
  printTable('Top 15 functions of Governance Bot by self time', [
    ['function', 'self ms', 'area'],
    ...byTime.slice(0, 15).map(([name, v]) => [name.slice(0, 90), f2(v.ms), v.area]),
  ]);
  // Natives and dependencies fill the list above; the project's own functions, on their own.
  const project = byTime.filter(([, v]) => v.url.includes('/dist/src/'));
  const projectMs = project.reduce((sum, [, v]) => sum + v.ms, 0);
  printTable(
    `Top 15 functions of Governance Bot's own code (dist/src) by self time ` +
      `(all of its own code: ${f2(projectMs / count)} ms/turn, ${f2((projectMs / gb.busyMs) * 100)}% of busy)`,
    [
      ['function', 'self ms', 'ms/turn', 'area'],
      ...project.slice(0, 15).map(([name, v]) => [name.slice(0, 90), f2(v.ms), f2(v.ms / count), v.area]),
    ],
  );
  console.log(`\nprofiles kept in ${dir} (open them in Chrome DevTools, Performance panel)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
