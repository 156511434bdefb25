// Two answers that say a write did not act, for a reason no retry mends:
// - 501 Not Implemented, "The requested feature isn't implemented"
//   (https://learn.microsoft.com/graph/errors#http-status-codes). It was taken for a 5xx whose
//   write may or may not have taken effect: the bot read the item, sent the write again, and told
//   the person to check before trying again "so it is not changed twice".
// - 403 with a licence code (entitlement management's NoLicense, graph-reference §10.1; a 403 may
//   mean the user "might not have a required license", https://learn.microsoft.com/graph/errors).
//   It was worded as a missing permission and Entra role, which no one can grant to fix it.

import { strict as assert } from 'node:assert';
import { UnsupportedByGraphError, NotLicensedError } from '../../src/domain/errors';
import { AuditLine, GovernanceService } from '../../src/domain/governance';
import { CATALOG, Target } from '../../src/domain/operations';
import { explain } from '../../src/cards/wording';
import { GraphGateway } from '../../src/graph/graphGateway';

const BASE = 'https://127.0.0.1:9443';
const actor = { aadObjectId: 'u1', getToken: () => Promise.resolve('not-a-jwt') };

function rig(status: number, error: Record<string, unknown>) {
  const sent: string[] = [];
  const lines: AuditLine[] = [];
  const gateway = new GraphGateway({
    graphEndpoint: BASE,
    sleep: () => Promise.resolve(),
    fetch: (_url, init) => {
      sent.push((init?.method ?? 'GET').toUpperCase());
      return Promise.resolve(
        new Response(JSON.stringify({ error }), {
          status,
          headers: { 'content-type': 'application/json', 'request-id': 'r-1' },
        }),
      );
    },
  });
  const service = new GovernanceService({
    cloud: 'global',
    graph: gateway,
    audit: (l) => lines.push(l),
    newId: () => 'c1',
  });
  return { sent, lines, service };
}

describe('a write Graph answered 501 Not Implemented', () => {
  for (const operation of ['cancelRoleRequest', 'cancelAccessPackageRequest', 'resumeTask'] as const) {
    it(`${operation}: sent once, no read-and-re-send, no "may or may not"`, async () => {
      const { sent, lines, service } = rig(501, { code: 'NotImplemented', message: 'Not implemented.' });
      const ids = Object.fromEntries(
        CATALOG[operation].idNames.map((n) => [n, '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b']),
      );
      const target = (
        operation === 'resumeTask' ? { operation, ids, decision: 'completed' } : { operation, ids }
      ) as Target;
      const outcome = await service.perform(target, actor);
      assert.ok(!outcome.ok);
      assert.deepEqual(sent, ['POST'], 'no read, no second write');
      assert.ok(outcome.error instanceof UnsupportedByGraphError, outcome.error.constructor.name);
      assert.equal(lines[0]?.graphStatus, 501);
      assert.equal(lines[0]?.graphErrorCode, 'NotImplemented');
      const words = JSON.stringify(explain(outcome.error, CATALOG[operation]));
      assert.match(words, /nothing was changed/i);
      assert.match(words, /not available for this/);
      assert.doesNotMatch(words, /may or may not|changed twice/);
    });
  }
});

describe('a write Graph refused for a missing licence', () => {
  it('NoLicense: audited NOT_LICENSED with Graph code NoLicense, worded as a licence for an administrator', async () => {
    const { sent, lines, service } = rig(403, {
      code: 'NoLicense',
      message: 'User is not authorized to perform the operation. Reason: Tenant does not meet license requirement!',
      details: [],
      innerError: { 'request-id': 'r-1' },
    });
    const target: Target = {
      operation: 'cancelAccessPackageRequest',
      ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' },
    };
    const outcome = await service.perform(target, actor);
    assert.ok(!outcome.ok);
    assert.ok(outcome.error instanceof NotLicensedError, outcome.error.constructor.name);
    assert.equal(sent[0], 'POST');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.errorCode, 'NOT_LICENSED');
    assert.equal(lines[0]?.graphErrorCode, 'NoLicense');
    assert.equal(lines[0]?.graphStatus, 403);
    const words = explain(outcome.error, CATALOG[target.operation]);
    assert.match(words.what, /licen[cs]e/);
    assert.match(words.next, /administrator/);
    assert.doesNotMatch(`${words.what} ${words.next}`, /delegated permission|EntitlementMgmt|the role/);
  });
});

describe('a decision whose read before it was refused for a licence', () => {
  // The read before a decision tells nothing when Graph refuses it (README: "A read that fails
  // never blocks the write: Graph decides"). A 403 with a licence code (NoLicense, graph-reference
  // §10.1; https://learn.microsoft.com/graph/errors lists a 403 for a user who "might not have a
  // required license") refuses the read, and Graph's answer to the PATCH is the one that counts.
  function licenceRefusedRead(patchStatus: number) {
    const sent: string[] = [];
    const lines: AuditLine[] = [];
    const gateway = new GraphGateway({
      graphEndpoint: BASE,
      sleep: () => Promise.resolve(),
      fetch: (_url, init) => {
        const method = (init?.method ?? 'GET').toUpperCase();
        sent.push(method);
        if (method === 'GET' || patchStatus === 403)
          return Promise.resolve(
            new Response(
              JSON.stringify({
                error: { code: 'NoLicense', message: 'Tenant does not meet license requirement!' },
              }),
              { status: 403, headers: { 'content-type': 'application/json', 'request-id': 'r-1' } },
            ),
          );
        return Promise.resolve(new Response(null, { status: patchStatus, headers: { 'request-id': 'r-2' } }));
      },
    });
    const service = new GovernanceService({
      cloud: 'global',
      graph: gateway,
      audit: (l) => lines.push(l),
      newId: () => 'c1',
    });
    return { sent, lines, service };
  }
  const target: Target = {
    operation: 'decideAccessPackageApproval',
    ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', stageId: '7a1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4c' },
    decision: 'approve',
  };

  it('the PATCH is still sent, and Graph accepting it is the outcome', async () => {
    const { sent, service } = licenceRefusedRead(204);
    const outcome = await service.perform(target, actor);
    assert.ok(sent.includes('PATCH'), `sent: ${sent.join(', ')}`);
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.constructor.name);
  });

  it('Graph refusing the PATCH for the licence too is what the person is told', async () => {
    const { sent, lines, service } = licenceRefusedRead(403);
    const outcome = await service.perform(target, actor);
    assert.ok(sent.includes('PATCH'), `sent: ${sent.join(', ')}`);
    assert.ok(!outcome.ok);
    assert.ok(outcome.error instanceof NotLicensedError, outcome.error.constructor.name);
    assert.equal(lines[0]?.graphErrorCode, 'NoLicense');
  });
});

describe('a decision whose read before it Graph refused with a 501 or a plain 4xx', () => {
  // A 501 ("The requested feature isn't implemented") and a 4xx with no meaning of its own (405,
  // 422) are refusals no retry mends (https://learn.microsoft.com/graph/errors#http-status-codes).
  // On the read before a decision they refuse that read only: it tells nothing, the PATCH goes, and
  // Graph's answer to it stands (README: "A read that fails never blocks the write"). They were
  // taken for an unanswered read: the decision was not sent, and the person was told to try again
  // in a moment, which would meet the same refusal.
  const target: Target = {
    operation: 'decideAccessPackageApproval',
    ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', stageId: '7a1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4c' },
    decision: 'approve',
  };
  for (const status of [501, 405, 422]) {
    it(`${status}: the PATCH is sent, and Graph accepting it is the outcome`, async () => {
      const sent: string[] = [];
      const gateway = new GraphGateway({
        graphEndpoint: BASE,
        sleep: () => Promise.resolve(),
        fetch: (_url, init) => {
          const method = (init?.method ?? 'GET').toUpperCase();
          sent.push(method);
          if (method === 'GET')
            return Promise.resolve(
              new Response(JSON.stringify({ error: { code: 'NotImplemented', message: 'Refused.' } }), {
                status,
                headers: { 'content-type': 'application/json', 'request-id': 'r-1' },
              }),
            );
          return Promise.resolve(new Response(null, { status: 204, headers: { 'request-id': 'r-2' } }));
        },
      });
      const lines: AuditLine[] = [];
      const service = new GovernanceService({
        cloud: 'global',
        graph: gateway,
        audit: (l) => lines.push(l),
        newId: () => 'c1',
      });
      const outcome = await service.perform(target, actor);
      assert.deepEqual(sent, ['GET', 'PATCH'], 'the read once (no retry of a refusal), then the decision');
      assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.error.constructor.name}: ${outcome.error.message}`);
      assert.equal(lines[0]?.graphStatus, 204, "Graph's last answer is the PATCH's");
    });
  }
});
