// A loopback HTTPS proxy in front of the simulated tenant's Entra endpoints, for tests that must
// hold or answer a bot's token request themselves (to make two sign-ins overlap without depending
// on timing). Every other request is forwarded to the tenant as it came.

import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { generateLoopbackCertificate } from '../../src/sandbox/certs';
import { World } from './harness';

/** Decides a token request: answer it (now or later) with `reply`, or pass it on with `forward`. */
export type TokenRequestHandler = (reply: (status: number, body: object) => void, forward: () => void) => void;

export interface EntraProxy {
  /** The bot's settings that send its Entra requests through the proxy and make it trust it. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the proxy; its certificate, with the tenant's, is written to `dir/ca.pem`. */
export async function startEntraProxy(world: World, dir: string, onToken: TokenRequestHandler): Promise<EntraProxy> {
  const tls = await generateLoopbackCertificate('entra-proxy');
  const tenantCa = fs.readFileSync(world.caFile, 'utf8');
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, `${tenantCa}\n${tls.ca}`);
  const target = new URL(world.tenantServer.url);
  const proxy = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = () => {
        const out = https.request(
          {
            host: target.hostname,
            port: target.port,
            path: req.url,
            method: req.method,
            headers: { ...req.headers, host: target.host },
            ca: tenantCa,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        out.end(Buffer.concat(chunks));
      };
      const reply = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const isToken =
        req.method === 'POST' && new URL(req.url ?? '/', 'https://proxy').pathname.endsWith('/oauth2/v2.0/token');
      if (isToken) onToken(reply, forward);
      else forward();
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  return {
    env: {
      AAD_APP_OAUTH_AUTHORITY_HOST: `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
      NODE_EXTRA_CA_CERTS: caFile,
    },
    close: async () => {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
    },
  };
}
