// The simulated tenant's HTTPS mount answers a request its model fails on as Graph answers a
// failure of its own: 500 in Graph's error envelope
// (https://learn.microsoft.com/en-us/graph/errors: 500 Internal Server Error, "There was an
// internal server error while processing the request"), and goes on serving. In the sandbox the
// mount runs in the launcher process: an exception left to escape ended the launcher, and with it
// the bot and the Playground. The fault is written as one log line (route, the error's name and
// message, scrubbed), so that it is told from an outage of the service. Entra's sign-in routes
// answer it as a token endpoint does: an OAuth error body (RFC 6749 §5.2; server_error, "The server
// encountered an unexpected error. Retry the request.",
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes).

import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log';
import { generateLoopbackCertificate } from '../../src/sandbox/certs';
import type { SimRequest, SimResponse } from '../../src/sandbox/envelope';
import { startTenantServer } from '../../src/sandbox/server';
import type { SimulatedTenant } from '../../src/sandbox/tenant';
import { JWT } from '../fixtures/logSecrets';

/** A model that throws `error` on every request. */
function throwing(error: Error): SimulatedTenant {
  return {
    handle(): SimResponse {
      throw error;
    },
  } as unknown as SimulatedTenant;
}

function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, logger: createLogger({ destination: stream }) };
}

function post(url: string, ca: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: 'POST', ca, headers: { 'content-type': 'application/json', 'client-request-id': 'c-1' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('simulated tenant over HTTPS: a failure inside the model', () => {
  it('is answered 500 in Graph’s envelope, and the next request is served', async () => {
    let calls = 0;
    // A model that fails on its first request and answers the next one.
    const failing = {
      handle(req: SimRequest): SimResponse {
        calls += 1;
        if (calls === 1) throw new TypeError('a fault in the model');
        return { status: 204, headers: { 'client-request-id': req.headers['client-request-id'] ?? '' } };
      },
    } as unknown as SimulatedTenant;
    const tls = await generateLoopbackCertificate();
    const server = await startTenantServer({
      tenant: failing,
      cert: tls.cert,
      key: tls.key,
      log: capturedLogger().logger,
    });
    try {
      const first = await post(`${server.url}/v1.0/$batch`, tls.ca, '{}');
      assert.equal(first.status, 500, first.text);
      const error = (
        JSON.parse(first.text) as {
          error: { code: string; message: string; innerError: Record<string, string> };
        }
      ).error;
      assert.equal(error.code, 'generalException');
      assert.doesNotMatch(error.message, /fault in the model|TypeError/, 'no internals in the answer');
      assert.equal(error.innerError['client-request-id'], 'c-1');
      assert.ok(error.innerError['request-id']);
      const second = await post(`${server.url}/v1.0/$batch`, tls.ca, '{}');
      assert.equal(second.status, 204);
    } finally {
      await server.close();
    }
  });

  it('writes one scrubbed line with the route and the error’s name and message', async () => {
    const { lines, logger } = capturedLogger();
    const tls = await generateLoopbackCertificate();
    const tenant = throwing(new RangeError(`no stage at index 3 (Bearer ${JWT})`));
    const server = await startTenantServer({ tenant, cert: tls.cert, key: tls.key, log: logger });
    try {
      const res = await post(`${server.url}/v1.0/$batch?sig=s3cr3tsig`, tls.ca, '{}');
      assert.equal(res.status, 500, res.text);
    } finally {
      await server.close();
    }
    assert.equal(lines.length, 1, lines.join('\n'));
    const line = JSON.parse(lines[0] ?? '') as {
      level: string;
      event: string;
      route: string;
      error: { name: string; message: string };
    };
    assert.equal(line.level, 'error');
    assert.equal(line.event, 'sandbox.tenant.modelFault');
    assert.equal(line.route, 'POST /v1.0/$batch');
    assert.equal(line.error.name, 'RangeError');
    assert.match(line.error.message, /^no stage at index 3 /);
    assert.doesNotMatch(lines[0] ?? '', /eyJ|s3cr3tsig/, 'no token, no query');
  });

  it('answers a sign-in route with an OAuth error body, not Graph’s envelope', async () => {
    const { logger } = capturedLogger();
    const tls = await generateLoopbackCertificate();
    const tenant = throwing(new TypeError('a fault in the model'));
    const server = await startTenantServer({ tenant, cert: tls.cert, key: tls.key, log: logger });
    try {
      for (const route of ['/organizations/oauth2/v2.0/token', '/common/discovery/v2.0/keys']) {
        const res = await post(`${server.url}${route}`, tls.ca, 'grant_type=x');
        assert.equal(res.status, 500, res.text);
        const body = JSON.parse(res.text) as Record<string, unknown>;
        assert.equal(body.error, 'server_error', res.text);
        assert.equal(typeof body.error_description, 'string');
        assert.doesNotMatch(res.text, /fault in the model|TypeError/, 'no internals in the answer');
      }
      const graph = await post(`${server.url}/v1.0/users`, tls.ca, '{}');
      assert.equal((JSON.parse(graph.text) as { error: { code: string } }).error.code, 'generalException');
    } finally {
      await server.close();
    }
  });
});
