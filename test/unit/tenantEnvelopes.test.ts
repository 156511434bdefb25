// The simulated tenant's answers when Graph refuses, against reference/graph-reference.md: the §10.1
// error envelope, 401 for a missing, foreign or SSO token, the two 403 shapes, and 429 with the §11
// body and Retry-After, injected or from a seed item.

import { strict as assert } from 'node:assert';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { errorOf } from '../fixtures/tenantClient';
import { tenantSession } from '../fixtures/tenantSession';

const DATE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('simulated tenant', () => {
  const session = tenantSession();
  const { call, tokenFor } = session;
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  // The session's beforeEach, registered first, has made this test's tenant by now.
  beforeEach(() => {
    ({ seed, tenant } = session);
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
});
