// Stopping the sandbox (Ctrl-C, or SIGTERM to `npm start`) lets its bot stop as a deployed bot
// does: the launcher signals the bot once and waits for it to finish its shutdown (the requests
// under way answered or cut at the drain's deadline, sends given back, the state store closed)
// before it closes the simulated tenant and exits. It used to exit as soon as the tenant had
// closed, and its exit handler signalled the bot a second time: the bot, which handles SIGTERM
// once, was killed by it in the middle of its shutdown.

import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { startSandbox } from '../fixtures/sandboxRun';

describe('stopping the sandbox', function () {
  this.timeout(120_000);

  it('lets its bot finish its shutdown before the launcher exits', async () => {
    const { run, child } = await startSandbox();
    // A request under way when the signal comes (its body never arrives), so the bot's shutdown
    // lasts until its drain's deadline: the server has read its headers once it says 100 Continue.
    const url = new URL(run.botUrl);
    const socket = net.connect(Number(url.port), url.hostname);
    socket.on('error', () => undefined);
    const underWay = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.write(
      'POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100\r\nExpect: 100-continue\r\n\r\n',
    );
    await underWay;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    await exited;
    socket.destroy();
    const lines = run
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { event?: string });
    const events = lines.map((l) => l.event);
    assert.ok(events.includes('bot.stopping'), 'the bot was told to stop');
    // It finished its shutdown on its own, and says the request it had to cut at the deadline.
    const failed = lines.find((l) => l.event === 'bot.stop.failed');
    assert.ok(failed, `the bot finished its shutdown: ${events.join(', ')}`);
    assert.match(JSON.stringify(failed), /the requests under way did not finish in time/);
    assert.ok(!events.includes('bot.stop.forced'), 'not the forced exit');
  });
});
