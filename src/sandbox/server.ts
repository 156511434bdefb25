// Mounts the simulated tenant over HTTPS on loopback, and as an in-process fetch for fast tests.
// One model, two mounts.

import * as https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SimRequest, type SimResponse } from './envelope';
import { type FaultLog, modelFaultAnswer } from './modelFault';
import { SimulatedTenant } from './tenant';

export interface TenantServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/** An HTTP request as the simulated tenant takes it: lower-cased headers, the body as text. */
export function simRequestOf(req: IncomingMessage, chunks: readonly Buffer[]): SimRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  const body = chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
  return { method: req.method ?? 'GET', url: req.url ?? '/', headers, ...(body !== undefined ? { body } : {}) };
}

export async function startTenantServer(opts: {
  tenant: SimulatedTenant;
  cert: string;
  key: string;
  host?: string;
  port?: number;
  /** Where a failure of the model is written (the launcher's logger); stderr without one. */
  log?: FaultLog;
}): Promise<TenantServer> {
  const server = https.createServer({ cert: opts.cert, key: opts.key }, (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const out = answerOf(opts.tenant, simRequestOf(req, chunks), opts.log);
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The model's answer; when the model throws, the service's own answer to a failure of its own and
 * a log line saying where it came from (src/sandbox/modelFault.ts). Escaping the request handler,
 * the exception would end the process serving the tenant: in the sandbox, the launcher and with
 * it the bot.
 */
function answerOf(tenant: SimulatedTenant, request: SimRequest, log: FaultLog | undefined): SimResponse {
  try {
    return tenant.handle(request);
  } catch (e) {
    return modelFaultAnswer(request, e, log);
  }
}

/** The model as a fetch function: the Graph client's terminal step in component tests. */
export function tenantFetch(tenant: SimulatedTenant, baseUrl: string) {
  const host = new URL(baseUrl).host;
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
    headers.host = host;
    const text = request.body ? await request.text() : undefined;
    const out = tenant.handle({
      method: request.method,
      url: url.pathname + url.search,
      headers,
      ...(text !== undefined && text !== '' ? { body: text } : {}),
    });
    return new Response(out.status === 204 || out.body === undefined ? null : out.body, {
      status: out.status,
      headers: out.headers,
    });
  };
}
