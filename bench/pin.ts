// `--pin`: the bot servers on a core of their own, the harness (load, recording connector,
// simulated tenant) on the others, as in production, where Teams and Graph do not run on the
// bot's machine. Without it every process shares every core, and a bot that makes the harness
// work harder (a Graph request for the simulated tenant to answer) is slowed by that work too.
// Linux only (`taskset`, util-linux); elsewhere the option says so and nothing is pinned.

import { spawnSync } from 'node:child_process';
import * as os from 'node:os';

export interface Pinning {
  /** Moves a started bot server (and the threads it has) onto the bots' core. */
  bot(pid: number | undefined): void;
  readonly description: string;
}

/** Pins this process to every core but the last, and gives the last to the bots. */
export function pinCores(): Pinning {
  const cores = os.availableParallelism();
  if (cores < 2) throw new Error('--pin needs at least 2 cores');
  const botCore = String(cores - 1);
  const harnessCores = cores === 2 ? '0' : `0-${cores - 2}`;
  taskset(process.pid, harnessCores);
  return {
    bot: (pid) => {
      if (pid === undefined) throw new Error('--pin: the bot server has no process id');
      taskset(pid, botCore);
    },
    description: `bots pinned to core ${botCore}, harness and simulated tenant to core(s) ${harnessCores}`,
  };
}

function taskset(pid: number, cores: string): void {
  // -a: every thread of the process (libuv's pool, V8's helpers), not only its main thread.
  const r = spawnSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      `--pin: taskset failed (${r.error?.message ?? r.stderr.trim()}); install util-linux or run without --pin`,
    );
  }
}
