// Starts a bot entry under V8's CPU profiler (node --cpu-prof), for `npm run bench:profile`.
// --cpu-prof is not allowed in NODE_OPTIONS, so this wrapper starts the entry as a child with
// the flag, passes signals on, and exits with it; the profile is written when the child exits.

import { spawn } from 'node:child_process';

const entry = process.env.BENCH_PROFILED_ENTRY ?? '';
const dir = process.env.BENCH_PROFILE_DIR ?? '';
const child = spawn(process.execPath, ['--no-deprecation', '--cpu-prof', `--cpu-prof-dir=${dir}`, entry], {
  stdio: 'inherit',
  env: process.env,
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
