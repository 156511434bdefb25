// The web app's start command (infra/azure.bicep appCommandLine) must leave the bot's own process
// the one that hears the SIGTERM App Service sends at a stop or a restart (README "Stopping").
// On App Service for Linux the command is not run by itself: Oryx writes it as the last line of a
// generated `#!/bin/sh` startup script, after `cd` to the app root and a `PATH=` prefix, without
// `exec` (https://github.com/microsoft/Oryx/blob/main/src/startupscriptgenerator/src/node/scriptgenerator.go,
// GenerateEntrypointScript; the custom startup command of
// https://learn.microsoft.com/azure/app-service/configure-language-nodejs?pivots=platform-linux#run-custom-command).
// A shell running a script does not hand its process to the last command, and it does not pass a
// SIGTERM on to the child it waits for: the shell dies (or, as a container's PID 1, ignores the
// signal) and node never hears it, as with `npm start`. The test runs the command in a script of
// that shape, with a stand-in scripts/start.js that reports its process id and the signal.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

// The handler is in place before the process id is reported: the test sends SIGTERM as soon as it
// reads the id, and a SIGTERM before the handler would end node by default, unheard.
const STAND_IN = `
process.on('SIGTERM', () => {
  process.stdout.write('heard SIGTERM\\n');
  process.exit(0);
});
process.stdout.write('pid ' + process.pid + '\\n');
setInterval(() => {}, 60000);
`;

/** The start command the template gives the web app. */
function appCommandLine(): string {
  const bicep = fs.readFileSync(path.join(projectRoot(), 'infra/azure.bicep'), 'utf8');
  const m = /appCommandLine: '([^']*)'/.exec(bicep);
  assert.ok(m, 'infra/azure.bicep sets appCommandLine');
  return m[1]!;
}

describe('deploy: the start command on App Service hands SIGTERM to the bot', () => {
  let dir: string;
  let reported: number | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-start-'));
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.writeFileSync(path.join(dir, 'scripts', 'start.js'), STAND_IN);
    reported = undefined;
  });
  afterEach(() => {
    // A node the shell left behind (the fault this test finds) is stopped here.
    if (reported !== undefined) {
      try {
        process.kill(reported, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs node in the startup script’s own process, so a SIGTERM to it reaches the bot', async () => {
    const script = path.join(dir, 'startup.sh');
    // The shape of Oryx's generated script for a custom startup command.
    fs.writeFileSync(script, `#!/bin/sh\ncd "${dir}"\nexport PORT=8080\nPATH="$PATH:${dir}" ${appCommandLine()}\n`, {
      mode: 0o755,
    });
    const shell = spawn('/bin/sh', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const started = new Promise<number>((resolve, reject) => {
      shell.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /^pid (\d+)$/m.exec(out);
        if (m) resolve(Number(m[1]));
      });
      shell.once('close', () => reject(new Error(`the start command ended before node started: ${out}`)));
    });
    // 'close', not 'exit': at 'exit' the child's last output may still be unread in the pipe
    // (https://nodejs.org/api/child_process.html#event-exit), so "heard SIGTERM" would be missed.
    const closed = new Promise<void>((resolve) => shell.once('close', () => resolve()));
    reported = await started;
    assert.equal(reported, shell.pid, 'the startup script’s process is node itself (exec), not a shell waiting for it');
    shell.kill('SIGTERM');
    await closed;
    assert.match(out, /heard SIGTERM/);
  });
});
