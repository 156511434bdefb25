// Every Graph error shape of graph-reference.md §10 and §11, mapped to what a person can act on.

import { strict as assert } from 'node:assert';
import {
  InvalidStateError,
  NotAvailableInCloudError,
  NotFoundError,
  UnsupportedByGraphError,
  NotLicensedError,
  NotPermittedError,
  RefusedByGraphError,
  SignInRequiredError,
  ThrottledError,
  UpstreamError,
} from '../../src/domain/errors';
import { CATALOG, OperationName } from '../../src/domain/operations';
import { explain } from '../../src/cards/wording';
import { RightsRefusedError } from '../../src/domain/rights';
import { GraphAnswer, noAnswerError, mapGraphError } from '../../src/graph/graphErrors';

const RID = '93b6f17e-c05d-4f45-ad2a-6665c708d8a0';

function answer(status: number, body: unknown, headers: Record<string, string> = {}): GraphAnswer {
  const h = new Headers(headers);
  return { status, headers: { get: (n) => h.get(n) }, bodyText: body === undefined ? null : JSON.stringify(body) };
}

const envelope = (code: string, message: string, inner = true) => ({
  error: {
    code,
    message,
    ...(inner ? { innerError: { date: '2025-02-13T10:17:06', 'request-id': RID, 'client-request-id': 'c' } } : {}),
  },
});

function map(op: OperationName, a: GraphAnswer) {
  const e = mapGraphError(op, a);
  assert.doesNotMatch(
    e.message,
    /Insufficient privileges|Authorization failed|Please retry|Run with id|Tenant does not meet/,
  );
  return e;
}

describe('Graph error mapping', () => {
  it('PIM 403 with JSON inside message: permission, role and the inner code', () => {
    const inner = JSON.stringify({
      errorCode: 'PermissionScopeNotGranted',
      message:
        'Authorization failed due to missing permission scope RoleAssignmentSchedule.ReadWrite.Directory,RoleManagement.ReadWrite.Directory.',
      instanceAnnotations: [],
    });
    const e = map('cancelRoleRequest', answer(403, envelope('UnknownError', inner)));
    assert.ok(e instanceof NotPermittedError);
    assert.match(e.message, /RoleAssignmentSchedule\.ReadWrite\.Directory/);
    assert.match(e.message, /Privileged Role Administrator/);
    assert.equal(e.graph.errorCode, 'PermissionScopeNotGranted');
    assert.equal(e.graph.requestId, RID);
  });

  it('directory-style 403, on a workflow run and on an access package request', () => {
    const a = map(
      'cancelWorkflowRun',
      answer(403, envelope('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')),
    );
    assert.ok(a instanceof NotPermittedError);
    assert.match(a.message, /LifecycleWorkflows-Workflow\.ReadWrite\.All/);
    assert.match(a.message, /Lifecycle Workflows Administrator/);
    const b = map(
      'cancelAccessPackageRequest',
      answer(403, envelope('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')),
    );
    assert.ok(b instanceof NotPermittedError);
    assert.equal(b.graph.errorCode, 'Authorization_RequestDenied');
    assert.match(b.message, /EntitlementMgmt-SubjectAccess\.ReadWrite/);
  });

  // A 403 may mean "not enough permission or ... not a required license"
  // (https://learn.microsoft.com/graph/errors); entitlement management names the licence with its
  // code NoLicense (graph-reference §10.1). A permission or a role would not help.
  it('EM NoLicense 403 is a missing licence, not a missing permission or role', () => {
    const nl = {
      error: {
        code: 'NoLicense',
        message: 'User is not authorized to perform the operation. Reason: Tenant does not meet license requirement!',
        details: [],
        innerError: { 'request-id': RID },
      },
    };
    const e = map('cancelAccessPackageRequest', answer(403, nl));
    assert.ok(e instanceof NotLicensedError);
    assert.ok(!(e instanceof NotPermittedError));
    assert.equal(e.code, 'NOT_LICENSED');
    assert.equal(e.graph.errorCode, 'NoLicense');
    assert.equal(e.graph.requestId, RID);
    assert.doesNotMatch(e.message, /permission|role/i);
    const words = explain(e, CATALOG.cancelAccessPackageRequest);
    assert.match(words.what, /licen[cs]e/);
    assert.match(words.what, /Microsoft Entra ID Governance/);
    assert.match(words.next, /administrator/);
    assert.doesNotMatch(`${words.what} ${words.next}`, /EntitlementMgmt|Access package assignment manager/);
  });

  // 501 Not Implemented: "The requested feature isn't implemented" (https://learn.microsoft.com/graph/errors).
  it('501 is a plain refusal: the feature is not there, the action did not happen', () => {
    const e = map('cancelRoleRequest', answer(501, envelope('NotImplemented', 'Not implemented.')));
    assert.ok(e instanceof UnsupportedByGraphError);
    assert.ok(e instanceof RefusedByGraphError, 'no read-and-re-send follows a refusal');
    assert.equal(e.graph.status, 501);
    assert.doesNotMatch(e.message, /may or may not/);
    const words = explain(e, CATALOG.cancelRoleRequest);
    assert.doesNotMatch(`${words.what} ${words.next}`, /may or may not|changed twice/);
    assert.match(words.what, /not available/);
  });

  it('LCW draft shapes (codes with spaces, no innerError)', () => {
    const nf = map(
      'cancelWorkflowRun',
      answer(404, envelope('Resource not found', "Workflow with id 'x' was not found.", false)),
    );
    assert.ok(nf instanceof NotFoundError);
    assert.equal(nf.graph.requestId, null);
    assert.ok(
      map(
        'cancelWorkflowRun',
        answer(406, envelope('Not Acceptable Request', 'No valid runs in cancelRunsScope supplied.', false)),
      ) instanceof NotFoundError,
    );
    assert.ok(
      map(
        'cancelWorkflowRun',
        answer(400, envelope('Bad Request', "Run with id 'r' does not belong to workflow 'w'.", false)),
      ) instanceof NotFoundError,
    );
    const conflict = map(
      'cancelWorkflowRun',
      answer(
        409,
        envelope(
          'Conflict',
          "Run with id 'r' is not in a cancellable state. Current status: 'completed'. Must be 'queued' or 'in-progress' to cancel.",
          false,
        ),
      ),
    );
    assert.ok(conflict instanceof InvalidStateError);
    assert.equal(conflict.currentState, 'completed');
    assert.equal(conflict.graph.errorCode, 'Conflict');
    const many = map(
      'cancelWorkflowRun',
      answer(400, envelope('Bad Request', 'Too many runs provided. Received 3.', false)),
    );
    assert.ok(many instanceof InvalidStateError && many.currentState === null);
  });

  it('PIM not cancellable: 400 without a state, kept as null for a later read', () => {
    const e = map(
      'cancelGroupRequest',
      answer(400, envelope('RequestCannotBeCancelled', 'Request is not in cancellable state.')),
    );
    assert.ok(e instanceof InvalidStateError);
    assert.equal(e.currentState, null);
    assert.equal(e.graph.errorCode, 'RequestCannotBeCancelled');
  });

  it('401 is a sign-in problem; 405 and unknown 4xx are upstream', () => {
    const e = map('resumeTask', answer(401, envelope('InvalidAuthenticationToken', 'Access token has expired.')));
    assert.ok(e instanceof SignInRequiredError && e.reason === 'expired');
    const m = map(
      'resumeTask',
      answer(405, envelope('Request_BadRequest', 'Specified HTTP method is not allowed for the request target.')),
    );
    assert.ok(m instanceof UpstreamError);
    assert.equal(m.graph.status, 405);
  });

  it('429 with integer, fractional, date and missing Retry-After', () => {
    const body = {
      error: {
        code: 'TooManyRequests',
        innerError: {
          code: '429',
          date: '2020-08-18T12:51:51',
          message: 'Please retry after',
          'request-id': RID,
          status: '429',
        },
        message: 'Please retry again later.',
      },
    };
    const a = map('cancelRoleRequest', answer(429, body, { 'retry-after': '10' }));
    assert.ok(a instanceof ThrottledError && a.retryAfterSeconds === 10);
    assert.equal(a.graph.requestId, RID);
    const b = map('cancelRoleRequest', answer(429, body, { 'retry-after': '2.128' }));
    assert.ok(b instanceof ThrottledError && b.retryAfterSeconds === 2.128);
    const c = map('cancelRoleRequest', answer(429, body));
    assert.ok(c instanceof ThrottledError && c.retryAfterSeconds === 5, 'the default when Graph names no wait');
    const now = Date.parse('2026-03-02T10:00:00Z');
    const d = mapGraphError(
      'cancelRoleRequest',
      answer(429, body, { 'retry-after': 'Mon, 02 Mar 2026 10:00:07 GMT' }),
      now,
    );
    assert.ok(d instanceof ThrottledError && d.retryAfterSeconds === 7, 'an HTTP-date counts from now');
    const e = map('cancelRoleRequest', answer(429, body, { 'retry-after': 'soon' }));
    assert.ok(e instanceof ThrottledError && e.retryAfterSeconds === 5, 'an unreadable value is the default');
  });

  it('5xx, timeouts and network failures are upstream and say the action may have happened', () => {
    const e = map(
      'cancelRoleRequest',
      answer(503, envelope('serviceNotAvailable', 'down'), { 'request-id': 'hdr-id' }),
    );
    assert.ok(e instanceof UpstreamError);
    assert.equal(e.graph.requestId, 'hdr-id', 'the header request-id wins');
    assert.match(e.message, /may or may not/);
    assert.equal(noAnswerError('timeout').graph.status, null);
    assert.match(noAnswerError('network').message, /could not be reached/);
    assert.match(noAnswerError('network').message, /may or may not/);
  });

  it('survives bodies that are not Graph envelopes', () => {
    const e = mapGraphError('cancelRoleRequest', {
      status: 502,
      headers: { get: () => null },
      bodyText: '<html>bad gateway</html>',
    });
    assert.ok(e instanceof UpstreamError);
    assert.equal(e.graph.errorCode, null);
  });
});

describe('Graph error mapping: what a 403 lacked, and refusals that are not about state', () => {
  const denied = answer(
    403,
    envelope('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  );

  it('tells from the token’s scopes whether the permission, the role, or both were missing', () => {
    const missing = (op: OperationName, scopes: string[] | null) =>
      (mapGraphError(op, denied, 0, scopes) as RightsRefusedError).missing;
    assert.deepEqual(missing('cancelAccessPackageRequest', ['EntitlementManagement.ReadWrite.All']), ['role']);
    assert.deepEqual(
      missing('cancelAccessPackageRequest', ['EntitlementMgmt-SubjectAccess.ReadWrite']),
      ['permission', 'role'],
      "only the self-service permission: someone else's request needs both",
    );
    assert.deepEqual(missing('cancelAccessPackageRequest', ['User.Read']), ['permission']);
    assert.deepEqual(missing('cancelAccessPackageRequest', null), [], 'unknown scopes: not guessed');
    assert.deepEqual(missing('resumeTask', ['LifecycleWorkflows.ReadWrite.All']), ['role']);
  });

  it('PIM naming a missing permission scope is a missing permission, whatever the token says', () => {
    const inner = JSON.stringify({ errorCode: 'PermissionScopeNotGranted', message: 'm', instanceAnnotations: [] });
    const e = mapGraphError('cancelRoleRequest', answer(403, envelope('UnknownError', inner)), 0, null);
    assert.ok(e instanceof RightsRefusedError);
    assert.deepEqual(e.missing, ['permission']);
  });

  it('an unknown request answered 400 with a not-found code is "not found" (graph-reference §10.2)', () => {
    for (const code of ['RequestNotFound', 'RoleAssignmentRequestNotFound']) {
      assert.ok(
        map('cancelRoleRequest', answer(400, envelope(code, 'The request was not found.'))) instanceof NotFoundError,
      );
    }
  });

  // 410 Gone: "The requested resource is no longer available at the server"
  // (https://learn.microsoft.com/graph/errors#http-status-codes): the item no longer exists, as a
  // 404 says, not a refusal without a meaning of its own.
  it('410 Gone is "not found"', () => {
    const e = map('cancelAccessPackageRequest', answer(410, envelope('Gone', 'The resource is gone.')));
    assert.ok(e instanceof NotFoundError, e.constructor.name);
    assert.equal(e.graph.status, 410);
  });

  it('a route Graph does not have (a national cloud without the call) is "not offered", not a state', () => {
    const e = map('resumeTask', answer(400, envelope('BadRequest', "Resource not found for the segment 'resume'.")));
    assert.ok(e instanceof NotAvailableInCloudError);
  });
});
