// Closing the HTTP server while keep-alive clients keep sending (the shutdown of a running bot):
// every request is either answered in full or fails before any of its answer arrived (refused at
// connect, or sent on a kept-alive connection the server ended as idle, which a client may send
// again: https://www.rfc-editor.org/rfc/rfc9112#name-retrying-requests). An answer whose headers
// arrived and whose body was then cut is the one outcome a client cannot recover from.
// Clients: fetch (undici, Node's own) and http.Agent with keepAlive, both pooling connections.

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import { createServer } from '../../src/server';
import { HttpServer, listen } from '../../src/serverListen';
import { quietServer } from './quietServer';

type Outcome = 'answered' | 'failedBeforeAnswer' | { cut: string };

const LARGE = 512 * 1024;
/** Larger than what the kernel's buffers take, so a client that does not read is still being
 * handed it when closing begins. */
const HUGE = 32 * 1024 * 1024;
const PARTS = 4;

/** Answers of four shapes: a small one at once, a large one (still being handed over when the
 * next request comes), one written in parts over a few turns of the event loop, and a huge one. */
function serverWithRoutes(): ReturnType<typeof createServer> {
  const server = quietServer();
  server.get('/test/small', async (_req, res) => {
    await new Promise((r) => setImmediate(r));
    res.send(200, { ok: true });
  });
  const large = Buffer.alloc(LARGE, 'b');
  server.get('/test/large', async (_req, res) => {
    res.sendRaw(200, large, { 'content-type': 'application/octet-stream' });
  });
  const huge = Buffer.alloc(HUGE, 'h');
  server.get('/test/huge', async (_req, res) => {
    res.sendRaw(200, huge, { 'content-type': 'application/octet-stream' });
  });
  server.get('/test/parts', async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    for (let i = 0; i < PARTS; i++) {
      res.write(`part ${i}\n`);
      await new Promise((r) => setImmediate(r));
    }
    res.end();
  });
  return server;
}

const paths = ['/test/small', '/test/large', '/test/parts'] as const;

function complete(path: string, body: Buffer): string | null {
  if (path === '/test/small') return body.toString() === '{"ok":true}' ? null : `small answer was ${body.length} bytes`;
  if (path === '/test/huge') return body.length === HUGE ? null : `huge answer was ${body.length} of ${HUGE} bytes`;
  if (path === '/test/large') return body.length === LARGE ? null : `large answer was ${body.length} of ${LARGE} bytes`;
  const want = Array.from({ length: PARTS }, (_, i) => `part ${i}\n`).join('');
  return body.toString() === want ? null : `answer in parts was ${JSON.stringify(body.toString())}`;
}

async function viaFetch(url: string, path: string): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetch(`${url}${path}`);
  } catch {
    return 'failedBeforeAnswer';
  }
  try {
    const body = Buffer.from(await res.arrayBuffer());
    const problem = complete(path, body);
    return problem === null && res.status === 200 ? 'answered' : { cut: `fetch ${path}: ${problem ?? res.status}` };
  } catch (e) {
    return { cut: `fetch ${path}: headers came, then ${String((e as Error).cause ?? e)}` };
  }
}

function viaAgent(url: string, path: string, agent: http.Agent, readAfter?: Promise<void>): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.get(`${url}${path}`, { agent }, (res) => {
      // A slow client: reads nothing of the answer until then.
      if (readAfter) {
        res.pause();
        void readAfter.then(() => res.resume());
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('error', (e) => resolve({ cut: `agent ${path}: headers came, then ${e.message}` }));
      res.once('close', () => {
        const problem = res.complete ? complete(path, Buffer.concat(chunks)) : 'the answer ended early';
        resolve(problem === null && res.statusCode === 200 ? 'answered' : { cut: `agent ${path}: ${problem}` });
      });
    });
    req.once('error', () => resolve('failedBeforeAnswer'));
  });
}

describe('listen, closing under load', () => {
  let running: HttpServer | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('answers every request in full or not at all while keep-alive clients keep sending', async () => {
    running = await listen(serverWithRoutes(), 0, '127.0.0.1');
    const url = running.url;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const outcomes: Outcome[] = [];
    let answered = 0;
    let closeNow!: () => void;
    const closeTime = new Promise<void>((r) => (closeNow = r));
    // Each worker sends one request after another on its pooled connection, until one fails; the
    // server closes once a hundred have been answered, with requests of every shape under way.
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; ; i++) {
        const path = paths[(w + i) % paths.length]!;
        const outcome = w % 2 === 0 ? await viaFetch(url, path) : await viaAgent(url, path, agent);
        outcomes.push(outcome);
        if (outcome !== 'answered') return;
        if (++answered === 100) closeNow();
      }
    };
    const workers = Array.from({ length: 16 }, (_, w) => worker(w));
    // Two slow clients whose huge answers have been sent, not yet handed over, when closing begins.
    const slow = new http.Agent({ keepAlive: true });
    const inFlight: http.ServerResponse[] = [];
    const bothSent = new Promise<void>((r) =>
      running!.server.server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
        if (_req.url !== '/test/huge') return;
        res.once('prefinish', () => inFlight.push(res) === 2 && r());
      }),
    );
    const slowOnes = [0, 1].map(() => viaAgent(url, '/test/huge', slow, closeTime));
    await Promise.all([closeTime, bothSent]);
    assert.ok(
      inFlight.every((res) => !res.writableFinished),
      'the huge answers are still being handed over',
    );
    const closing = running.close();
    running = undefined;
    outcomes.push(...(await Promise.all(slowOnes)));
    await Promise.all(workers);
    await closing;
    agent.destroy();
    slow.destroy();
    const cut = outcomes.filter((o): o is { cut: string } => typeof o === 'object').map((o) => o.cut);
    assert.deepEqual(cut, [], 'no answer was cut after its headers arrived');
    assert.ok(outcomes.length >= 118, `every worker ended with a failure: ${outcomes.length} requests`);
  });
});
