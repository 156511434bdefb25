// The simulated tenant against reference/graph-reference.md: versions, action-name forms, status
// codes, state machines, error envelopes, authorization shapes, the on-behalf-of grant, faults.

import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import { generateLoopbackCertificate } from '../../src/sandbox/certs';
import { startTenantServer } from '../../src/sandbox/server';
import { SimRequest, SimResponse } from '../../src/sandbox/envelope';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';

const HOST = '127.0.0.1:8443';
const DATE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function oboForm(seed: DemoSeed, assertion: string, overrides: Record<string, string> = {}): string {
  return new URLSearchParams({
    client_id: seed.app.clientId,
    client_secret: seed.app.clientSecret,
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    requested_token_use: 'on_behalf_of',
    assertion,
    scope: `https://${HOST}/.default openid profile offline_access`,
    ...overrides,
  }).toString();
}

describe('simulated tenant', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let token: string;

  const call = (
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
    bearer: string | null = token,
  ): SimResponse => {
    const req: SimRequest = {
      method,
      url,
      headers: { host: HOST, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    };
    return tenant.handle(req);
  };
  const errorOf = (r: SimResponse) =>
    (JSON.parse(r.body ?? '{}') as { error: { code: string; message: string; innerError?: Record<string, string> } })
      .error;
  const tokenFor = (userIndex: number): string => {
    const sso = tenant.issueSsoToken(seed.users[userIndex]!.id, seed.app.clientId);
    const r = call('POST', `/${seed.tenantId}/oauth2/v2.0/token`, oboForm(seed, sso), {}, null);
    assert.equal(r.status, 200, r.body);
    return (JSON.parse(r.body ?? '{}') as { access_token: string }).access_token;
  };

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed);
    token = tokenFor(0);
  });

  describe('Graph writes', () => {
    it('PIM role cancel: 204 in v1.0 and beta, status Canceled, then 400 RequestCannotBeCancelled', () => {
      const id = seed.examples.roleRequestId;
      const r = call('POST', `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${id}/cancel`);
      assert.equal(r.status, 204);
      assert.equal(r.body, undefined);
      assert.equal(tenant.getRoleRequest(id)?.status, 'Canceled');
      const again = call(
        'POST',
        `/beta/roleManagement/directory/roleAssignmentScheduleRequests/${id.toUpperCase()}/cancel`,
      );
      assert.equal(again.status, 400);
      assert.equal(errorOf(again).code, 'RequestCannotBeCancelled');
      const granted = call(
        'POST',
        '/beta/roleManagement/directory/roleAssignmentScheduleRequests/95c690fb-3eb3-4942-a03f-4524aed6f320/cancel',
      );
      assert.equal(granted.status, 204, 'Granted is cancellable');
    });

    it('PIM group cancel: 204; Provisioned refused', () => {
      assert.equal(
        call(
          'POST',
          `/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/${seed.examples.groupRequestId}/cancel`,
        ).status,
        204,
      );
      assert.equal(tenant.getGroupRequest(seed.examples.groupRequestId)?.status, 'Canceled');
      assert.equal(
        call(
          'POST',
          '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/f4b57a8c-da56-4ae0-8aef-65c3a043dab6/cancel',
        ).status,
        400,
      );
    });

    it('EM cancel: 200 with an empty body; beta legacy path and body; delivered refused', () => {
      const r = call(
        'POST',
        `/v1.0/identityGovernance/entitlementManagement/assignmentRequests/${seed.examples.accessRequestId}/cancel`,
      );
      assert.equal(r.status, 200);
      assert.equal(r.body, undefined);
      assert.equal(tenant.getAccessRequest(seed.examples.accessRequestId)?.state, 'canceled');
      const legacy = call(
        'POST',
        '/beta/identityGovernance/entitlementManagement/accessPackageAssignmentRequests/7999249e-249e-7999-9e24-99799e24997a/cancel',
        {
          id: '7999249e-249e-7999-9e24-99799e24997a',
          requestStatus: 'cancelled',
        },
      );
      assert.equal(legacy.status, 200);
      assert.equal(
        call(
          'POST',
          '/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentRequests/7999249e-249e-7999-9e24-99799e24997b/cancel',
        ).status,
        400,
        'legacy path is beta only',
      );
      assert.equal(
        call(
          'POST',
          '/v1.0/identityGovernance/entitlementManagement/assignmentRequests/7999249e-249e-7999-9e24-99799e24997c/cancel',
        ).status,
        400,
      );
    });

    it('LCW cancelProcessing: short and namespace-qualified forms, and every documented refusal', () => {
      const w = seed.examples.workflowId;
      const body = (runs: Array<{ id: string }>) => ({
        scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs },
      });
      assert.equal(
        call(
          'POST',
          `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${w}/cancelProcessing`,
          body([{ id: seed.examples.runId }]),
        ).status,
        204,
      );
      // https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-cancelprocessing?view=graph-rest-1.0
      // The run passes through canceling before canceled (graph-reference §1, §6.1); see
      // tenantUnconfirmed.test.ts for the transition.
      assert.equal(tenant.getRun(w, seed.examples.runId)?.processingStatus, 'canceling');
      assert.equal(
        call(
          'POST',
          `/beta/identityGovernance/lifecycleWorkflows/workflows/${w}/microsoft.graph.identityGovernance.cancelProcessing`,
          body([{ id: '8cdf25a8-c9d2-423e-a03d-3f39f03c3e98' }]),
        ).status,
        204,
      );
      const done = call(
        'POST',
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${w}/cancelProcessing`,
        body([{ id: '8cdf25a8-c9d2-423e-a03d-3f39f03c3e99' }]),
      );
      assert.equal(done.status, 409);
      assert.equal(errorOf(done).code, 'Conflict');
      assert.match(errorOf(done).message, /Current status: 'completed'/);
      assert.equal(
        call(
          'POST',
          `/v1.0/identityGovernance/lifecycleWorkflows/workflows/00000000-0000-0000-0000-000000000000/cancelProcessing`,
          body([]),
        ).status,
        404,
      );
      assert.equal(
        call(
          'POST',
          `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${w}/cancelProcessing`,
          body([{ id: '00000000-0000-0000-0000-000000000000' }]),
        ).status,
        406,
      );
      assert.equal(
        call(
          'POST',
          `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${w}/cancelProcessing`,
          body([{ id: 'a' }, { id: 'b' }]),
        ).status,
        400,
      );
      const other = call(
        'POST',
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${w}/cancelProcessing`,
        body([{ id: '2b3c4d5e-0000-4f00-8000-00000000b001' }]),
      );
      assert.equal(other.status, 400);
      assert.match(errorOf(other).message, /does not belong/);
    });

    it('resume: case-insensitive status, validated body, only from inProgress', () => {
      const e = seed.examples;
      const base = `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults`;
      assert.equal(
        call('POST', `${base}/${e.taskProcessingResultId}/resume`, {
          data: { operationStatus: 'Completed' },
          source: 'sample',
          type: 'lifecycleEvent',
        }).status,
        204,
      );
      assert.equal(
        tenant.getTaskResult(e.taskWorkflowId, e.taskId, e.taskProcessingResultId)?.processingStatus,
        'completed',
      );
      assert.equal(
        call('POST', `${base}/6e1ec336-8d06-4386-a377-79dbab1a2eb7/microsoft.graph.identityGovernance.resume`, {
          data: { operationStatus: 'failed' },
          source: 's',
          type: 'lifecycleEvent',
        }).status,
        204,
      );
      const again = call('POST', `${base}/${e.taskProcessingResultId}/resume`, {
        data: { operationStatus: 'failed' },
        source: 's',
        type: 'lifecycleEvent',
      });
      assert.equal(again.status, 400);
      assert.match(errorOf(again).message, /Current status: 'completed'/);
      assert.equal(
        call('POST', `${base}/6e1ec336-8d06-4386-a377-79dbab1a2eb8/resume`, {
          data: { operationStatus: 'maybe' },
          source: 's',
          type: 't',
        }).status,
        400,
      );
      assert.equal(
        call('POST', `${base}/6e1ec336-8d06-4386-a377-79dbab1a2eb8/resume`, {
          data: { operationStatus: 'failed' },
          source: '',
          type: 't',
        }).status,
        400,
      );
    });

    it('reads items, unknown ids 404, unknown routes and wrong methods', () => {
      const r = call(
        'GET',
        `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${seed.examples.roleRequestId}`,
      );
      assert.equal(r.status, 200);
      const body = JSON.parse(r.body ?? '{}') as Record<string, unknown>;
      assert.equal(body.status, 'PendingApproval');
      assert.match(String(body['@odata.context']), /\$metadata/);
      assert.equal(
        call(
          'GET',
          `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${seed.examples.workflowId}/runs/${seed.examples.runId}`,
        ).status,
        200,
      );
      assert.equal(
        call(
          'GET',
          '/v1.0/identityGovernance/entitlementManagement/assignmentRequests/00000000-0000-0000-0000-000000000000',
        ).status,
        404,
      );
      assert.equal(
        call(
          'GET',
          `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${seed.examples.roleRequestId}/cancel`,
        ).status,
        405,
      );
      assert.equal(call('GET', '/v1.0/nothing/here').status, 400);
      assert.equal(call('GET', '/v2.0/whatever').status, 404);
    });
  });

  describe('envelopes and authorization', () => {
    it('uses the §10.1 envelope: innerError date without Z, request-id, echoed client-request-id', () => {
      const r = call(
        'POST',
        '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/95c690fb-3eb3-4942-a03f-4524aed6f322/cancel',
        undefined,
        { 'client-request-id': 'crid-1' },
      );
      const e = errorOf(r);
      assert.match(e.innerError?.date ?? '', DATE_RE);
      assert.match(e.innerError?.['request-id'] ?? '', GUID_RE);
      assert.equal(e.innerError?.['client-request-id'], 'crid-1');
      assert.equal(r.headers['client-request-id'], 'crid-1');
      assert.equal(r.headers['request-id'], e.innerError?.['request-id']);
      assert.match(r.headers['content-type'] ?? '', /application\/json/);
    });

    it('401 InvalidAuthenticationToken without, with a foreign, or with an SSO token', () => {
      assert.equal(
        errorOf(
          call(
            'GET',
            `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${seed.examples.roleRequestId}`,
            undefined,
            {},
            null,
          ),
        ).code,
        'InvalidAuthenticationToken',
      );
      const other = new SimulatedTenant(loadDemoSeed()).issueSsoToken(seed.users[0]!.id, seed.app.clientId);
      assert.equal(
        call(
          'GET',
          `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${seed.examples.roleRequestId}`,
          undefined,
          {},
          other,
        ).status,
        401,
      );
      const sso = tenant.issueSsoToken(seed.users[0]!.id, seed.app.clientId);
      assert.equal(
        call(
          'GET',
          `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${seed.examples.roleRequestId}`,
          undefined,
          {},
          sso,
        ).status,
        401,
      );
    });

    it('403: PIM JSON-in-message shape, and Authorization_RequestDenied elsewhere', () => {
      const limited = tokenFor(1);
      const pim = call(
        'POST',
        `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${seed.examples.roleRequestId}/cancel`,
        undefined,
        {},
        limited,
      );
      assert.equal(pim.status, 403);
      const e = errorOf(pim);
      assert.equal(e.code, 'UnknownError');
      const inner = JSON.parse(e.message) as { errorCode: string; message: string };
      assert.equal(inner.errorCode, 'PermissionScopeNotGranted');
      assert.match(inner.message, /RoleAssignmentSchedule\.ReadWrite\.Directory/);
      const lcw = call(
        'POST',
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${seed.examples.workflowId}/cancelProcessing`,
        {},
        {},
        limited,
      );
      assert.equal(lcw.status, 403);
      assert.equal(errorOf(lcw).code, 'Authorization_RequestDenied');
      assert.equal(tenant.getRoleRequest(seed.examples.roleRequestId)?.status, 'PendingApproval', 'nothing changed');
    });

    it('injects 429 with the §11 body and Retry-After, consumed in order', () => {
      tenant.injectFault({ pathIncludes: '/cancel', status: 429, retryAfter: '2.128' });
      const url = `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${seed.examples.roleRequestId}/cancel`;
      const r = call('POST', url);
      assert.equal(r.status, 429);
      assert.equal(r.headers['retry-after'], '2.128');
      assert.equal(errorOf(r).code, 'TooManyRequests');
      assert.equal(call('POST', url).status, 204);
    });

    it('a seed item marked throttleOnce answers 429 once, then works', () => {
      const url =
        '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/95c690fb-3eb3-4942-a03f-4524aed6f327/cancel';
      assert.equal(call('POST', url).status, 429);
      assert.equal(call('POST', url).status, 204);
    });
  });

  describe('sign-in', () => {
    it('serves OpenID metadata and keys for the tenant', () => {
      const meta = JSON.parse(
        call('GET', `/${seed.tenantId}/v2.0/.well-known/openid-configuration`, undefined, {}, null).body ?? '{}',
      ) as Record<string, string>;
      assert.equal(meta.token_endpoint, `https://${HOST}/${seed.tenantId}/oauth2/v2.0/token`);
      const keys = JSON.parse(
        call('GET', `/${seed.tenantId}/discovery/v2.0/keys`, undefined, {}, null).body ?? '{}',
      ) as { keys: unknown[] };
      assert.equal(keys.keys.length, 1);
    });

    it('issues a delegated token with the user scopes and the requested audience', () => {
      const claims = tenant.decode(token);
      assert.equal(claims.oid, seed.users[0]!.id);
      assert.equal(claims.aud, `https://${HOST}`);
      assert.ok(String(claims.scp).split(' ').includes('LifecycleWorkflows.ReadWrite.All'));
    });

    it('refuses consent-less, MFA-bound, expired, foreign and wrongly-authenticated grants like Entra', () => {
      const grant = (userIndex: number, overrides: Record<string, string> = {}, sso?: string) =>
        call(
          'POST',
          `/${seed.tenantId}/oauth2/v2.0/token`,
          oboForm(seed, sso ?? tenant.issueSsoToken(seed.users[userIndex]!.id, seed.app.clientId), overrides),
          {},
          null,
        );
      const consent = JSON.parse(grant(2).body ?? '{}') as {
        error: string;
        error_description: string;
        suberror: string;
      };
      assert.equal(consent.error, 'invalid_grant');
      assert.match(consent.error_description, /^AADSTS65001/);
      assert.equal(consent.suberror, 'consent_required');
      const mfa = JSON.parse(grant(3).body ?? '{}') as { error: string; error_description: string };
      assert.equal(mfa.error, 'interaction_required');
      assert.match(mfa.error_description, /AADSTS50076/);
      const expired = grant(0, {}, tenant.issueSsoToken(seed.users[0]!.id, seed.app.clientId, { expiresInSec: -60 }));
      assert.match(expired.body ?? '', /AADSTS500133/);
      const wrongAud = grant(0, {}, tenant.issueSsoToken(seed.users[0]!.id, '11111111-1111-1111-1111-111111111111'));
      assert.equal(wrongAud.status, 400);
      const secret = grant(0, { client_secret: 'nope' });
      assert.equal(secret.status, 401);
      assert.match(secret.body ?? '', /AADSTS7000215/);
    });

    it('hands the sandbox an SSO token for a known user only', () => {
      const ok = call(
        'POST',
        '/_sandbox/ssoToken',
        { aadObjectId: seed.users[0]!.id, clientId: seed.app.clientId },
        {},
        null,
      );
      assert.equal(ok.status, 200);
      assert.equal(
        call('POST', '/_sandbox/ssoToken', { aadObjectId: '00000000-0000-0000-0000-000000000000' }, {}, null).status,
        404,
      );
    });
  });

  it('serves the same model over HTTPS with a certificate clients can trust', async () => {
    const tls = await generateLoopbackCertificate();
    const server = await startTenantServer({ tenant, cert: tls.cert, key: tls.key });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        https
          .get(`${server.url}/${seed.tenantId}/v2.0/.well-known/openid-configuration`, { ca: tls.ca }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject);
      });
      assert.equal(status, 200);
    } finally {
      await server.close();
    }
  });
});
