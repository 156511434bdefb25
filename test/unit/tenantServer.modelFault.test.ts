// The simulated tenant's HTTPS mount answers a request its model fails on as Graph answers a
// failure of its own: 500 in Graph's error envelope
// (https://learn.microsoft.com/en-us/graph/errors: 500 Internal Server Error, "There was an
// internal server error while processing the request"), and goes on serving. In the sandbox the
// mount runs in the launcher process: an exception left to escape ended the launcher, and with it
// the bot and the Playground.

import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import { generateLoopbackCertificate } from '../../src/sandbox/certs';
import type { SimRequest, SimResponse } from '../../src/sandbox/envelope';
import { startTenantServer } from '../../src/sandbox/server';
import type { SimulatedTenant } from '../../src/sandbox/tenant';

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
    const server = await startTenantServer({ tenant: failing, cert: tls.cert, key: tls.key });
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
});
