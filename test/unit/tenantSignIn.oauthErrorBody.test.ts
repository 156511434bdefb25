// The token endpoint's error body as Microsoft's pages show it: error, error_description (the
// AADSTS number and text, then "\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: 2016-01-09
// 02:02:12Z"), error_codes, timestamp, and the same trace_id and correlation_id the description
// names. A failure of the simulated tenant's own model on a sign-in route is answered in that body
// too (it was error and error_description only).
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-response-example
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow#error-response-example
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes

import { strict as assert } from 'node:assert';
import type { SimResponse } from '../../src/sandbox/envelope';
import { modelFaultAnswer } from '../../src/sandbox/modelFault';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, oboForm } from '../fixtures/tenantClient';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/;

function assertEntraBody(r: SimResponse, error: string, code: number): void {
  const body = JSON.parse(r.body ?? '{}') as Record<string, unknown>;
  assert.equal(body.error, error, r.body);
  assert.deepEqual(body.error_codes, [code], r.body);
  assert.match(String(body.timestamp), TIMESTAMP, r.body);
  assert.match(String(body.trace_id), GUID, r.body);
  assert.match(String(body.correlation_id), GUID, r.body);
  const description = String(body.error_description);
  assert.ok(description.startsWith(`AADSTS${code}: `), description);
  assert.ok(
    description.endsWith(
      `\r\nTrace ID: ${String(body.trace_id)}\r\nCorrelation ID: ${String(body.correlation_id)}\r\nTimestamp: ${String(body.timestamp)}`,
    ),
    description,
  );
}

describe('simulated tenant: the token endpoint’s error body', () => {
  it('an on-behalf-of refusal names one trace and one correlation id, in the body and its description', () => {
    const seed = loadDemoSeed();
    const tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
    const sso = tenant.issueSsoToken(seed.users[0]!.id, seed.app.clientId);
    const r = call(tenant, 'POST', `/${seed.tenantId}/oauth2/v2.0/token`, {
      body: oboForm(seed, sso, { client_secret: 'not-the-secret' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 401, r.body);
    assertEntraBody(r, 'invalid_client', 7000215);
    assert.match(String(JSON.parse(r.body ?? '{}').timestamp), /^2026-03-02 09:00:00Z$/);
  });

  it('a fault of the model on a sign-in route: 500 server_error in the same body, no internals', () => {
    const r = modelFaultAnswer(
      { method: 'POST', url: '/organizations/oauth2/v2.0/token', headers: {} },
      new TypeError('a fault in the model'),
      { error: () => undefined },
    );
    assert.equal(r.status, 500);
    assertEntraBody(r, 'server_error', 50000);
    assert.doesNotMatch(r.body ?? '', /fault in the model|TypeError/);
  });
});
