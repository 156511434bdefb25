// The simulated tenant's Graph, mounted a second time over HTTPS with one fault the tenant itself
// does not offer: a write that hangs. A hung write either took effect (the tenant applied it, the
// answer never comes) or did not (it never reached the tenant); either way the connection stays
// open until the client gives up, or until `maxHangMs`, when it is cut.

import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateLoopbackCertificate } from '../src/sandbox/certs';
import { SimRequest } from '../src/sandbox/envelope';
import { simRequestOf } from '../src/sandbox/server';
import { World } from '../test/e2e/harness';

export type Hang = 'applied' | 'lost';

export interface HangingGraph {
  readonly url: string;
  /** A CA file that trusts this server and everything the world trusts (for NODE_EXTRA_CA_CERTS). */
  readonly caFile: string;
  readonly hung: { applied: number; lost: number };
  close(): Promise<void>;
}

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** `decide` is asked for every Graph write: hang it (and how) or answer it. */
export async function startHangingGraph(
  world: World,
  decide: (req: SimRequest) => Hang | null,
  maxHangMs = 90_000,
): Promise<HangingGraph> {
  // Its own name: the world's certificate is a self-signed "localhost" too (see certs.ts).
  const tls = await generateLoopbackCertificate('bench-hanging-graph');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-bench-graph-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, `${fs.readFileSync(world.caFile, 'utf8')}\n${tls.ca}`);
  const hung = { applied: 0, lost: 0 };
  const timers = new Set<NodeJS.Timeout>();

  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // The host stays the one the bot called: its Graph tokens name this server as their audience
      // (GRAPH_ENDPOINT is this server), and the tenant takes a token for the Graph root a call reached.
      const simReq: SimRequest = simRequestOf(req, chunks);
      const hang = WRITES.has(simReq.method.toUpperCase()) ? decide(simReq) : null;
      if (hang) {
        hung[hang]++;
        if (hang === 'applied') world.tenant.handle(simReq);
        const timer = setTimeout(() => req.socket.destroy(), maxHangMs);
        timers.add(timer);
        req.socket.once('close', () => (clearTimeout(timer), timers.delete(timer)));
        return;
      }
      const out = world.tenant.handle(simReq);
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    caFile,
    hung,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
