// Graph's best practices: send a fresh GUID as `client-request-id` on every request "and also log
// it in your application's logs", and always log the answer's `request-id`, timestamp (`Date`) and
// `x-ms-ags-diagnostic`: a support case with Microsoft needs them together. The audit line kept
// the request-id alone, so a call that timed out (no request-id at all) left nothing to trace.
// https://learn.microsoft.com/graph/best-practices-concept#reliability-and-support

import { strict as assert } from 'node:assert';
import { AuditLine, GovernanceService } from '../../src/domain/governance';
import { Target } from '../../src/domain/operations';
import { GraphExchange } from '../../src/graph/fetchStep';
import { FetchLike, GraphGateway } from '../../src/graph/graphGateway';

const BASE = 'https://127.0.0.1:9443';
const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' } };
const DIAGNOSTIC = '{"ServerInfo":{"DataCenter":"West Europe","Slice":"E","Ring":"5","ScaleUnit":"001"}}';
const DATE = 'Sun, 29 Nov 2026 16:02:22 GMT';

function rig(fetch: FetchLike): { lines: AuditLine[]; service: GovernanceService } {
  const lines: AuditLine[] = [];
  const gateway = new GraphGateway({ graphEndpoint: BASE, fetch, timeoutMs: 50, sleep: () => Promise.resolve() });
  const service = new GovernanceService({
    cloud: 'global',
    graph: gateway,
    audit: (l) => lines.push(l),
    newId: () => 'c1',
  });
  return { lines, service };
}

const actor = { aadObjectId: 'u1', getToken: () => Promise.resolve('not-a-jwt') };

describe('Graph client-request-id in the audit line', () => {
  it('logs the client-request-id sent, with the answer’s request-id, Date and x-ms-ags-diagnostic', async () => {
    const sent: string[] = [];
    const { lines, service } = rig((_url, init) => {
      sent.push(new Headers(init?.headers).get('client-request-id') ?? '');
      return Promise.resolve(
        new Response(null, {
          status: 204,
          headers: { 'request-id': 'r-1', date: DATE, 'x-ms-ags-diagnostic': DIAGNOSTIC },
        }),
      );
    });
    const outcome = await service.perform(target, actor);
    assert.equal(outcome.ok, true);
    assert.equal(sent.length, 1);
    assert.match(sent[0] ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(lines[0]?.graphClientRequestId, sent[0]);
    assert.equal(lines[0]?.graphRequestId, 'r-1');
    assert.equal(lines[0]?.graphDate, DATE);
    assert.equal(lines[0]?.graphDiagnostic, DIAGNOSTIC);
  });

  // Contract §6: graphStatus is "the HTTP status of Graph's last answer, null only when none came":
  // here the read after the lost write answered 503, so the line says 503 (it said null before,
  // the write's own evidence), while graphClientRequestId stays the write's, the call that decided.
  it('logs the client-request-id of a write that got no answer, and Graph’s last answer (the read’s)', async () => {
    const sent: string[] = [];
    const { lines, service } = rig((url, init) => {
      const method = (init?.method ?? 'GET').toUpperCase();
      sent.push(`${method} ${new Headers(init?.headers).get('client-request-id') ?? ''}`);
      // The cancel never answers; the read after it is refused, so the write's outcome stays unknown.
      if (method === 'POST') return new Promise<Response>(() => undefined);
      return Promise.resolve(new Response(null, { status: 503 }));
    });
    const outcome = await service.perform(target, actor);
    assert.equal(outcome.ok, false);
    assert.equal(lines[0]?.graphStatus, 503);
    const post = sent.find((s) => s.startsWith('POST '));
    assert.ok(post);
    assert.equal(lines[0]?.graphClientRequestId, post.slice('POST '.length));
    const lastGet = sent.filter((s) => s.startsWith('GET ')).at(-1);
    assert.ok(lastGet);
    assert.equal(lines[0]?.graphAnswerClientRequestId, lastGet.slice('GET '.length));
  });

  // The read after a lost write answers 200 (the request still pending), the one re-send is lost
  // too and the last read answers 200 again: the outcome stays unknown, and the line carries that
  // read's 200 and request-id (Graph's last answer), never null as it did before.
  it('a lost write whose reads after it answered is audited with the last read’s status and request-id', async () => {
    const sent: string[] = [];
    let reads = 0;
    const { lines, service } = rig((_url, init) => {
      const method = (init?.method ?? 'GET').toUpperCase();
      sent.push(`${method} ${new Headers(init?.headers).get('client-request-id') ?? ''}`);
      if (method === 'POST') return new Promise<Response>(() => undefined);
      reads++;
      const item = { id: target.ids.requestId, status: 'PendingApproval' };
      const headers = { 'content-type': 'application/json', 'request-id': `r-read-${reads}`, date: DATE };
      return Promise.resolve(new Response(JSON.stringify(item), { status: 200, headers }));
    });
    const outcome = await service.perform(target, actor);
    assert.ok(!outcome.ok);
    assert.match(outcome.error.message, /may or may not have taken effect/);
    assert.deepEqual(
      sent.map((s) => s.split(' ')[0]),
      ['POST', 'GET', 'POST', 'GET'],
    );
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.graphStatus, 200, JSON.stringify(lines[0]));
    assert.equal(lines[0]?.graphRequestId, 'r-read-2');
    assert.equal(lines[0]?.graphDate, DATE);
    assert.equal(lines[0]?.graphAnswerClientRequestId, sent[3]?.slice('GET '.length));
    assert.equal(lines[0]?.graphClientRequestId, sent[2]?.slice('POST '.length), 'the re-send, whose loss decided');
  });

  // "On every request": each exchange, a 429's retry and a read included, not only a command's last answer.
  it('tells every exchange with Graph: its client-request-id, request-id, Date and diagnostic, and no token', async () => {
    const exchanges: GraphExchange[] = [];
    let n = 0;
    const gateway = new GraphGateway({
      graphEndpoint: BASE,
      sleep: () => Promise.resolve(),
      timeoutMs: 50,
      onExchange: (e) => exchanges.push(e),
      fetch: () => {
        n++;
        const headers = { 'request-id': `r-${n}`, date: DATE, 'x-ms-ags-diagnostic': DIAGNOSTIC };
        if (n === 1)
          return Promise.resolve(new Response(null, { status: 429, headers: { ...headers, 'retry-after': '1' } }));
        if (n === 2) return Promise.resolve(new Response(null, { status: 204, headers }));
        return new Promise<Response>(() => undefined);
      },
    });
    await gateway.write(target, () => Promise.resolve('secret-token'));
    await assert.rejects(gateway.readState(target, () => Promise.resolve('secret-token')));
    assert.deepEqual(
      exchanges.map((e) => [e.method, e.status, e.failure, e.requestId]),
      [
        ['POST', 429, null, 'r-1'],
        ['POST', 204, null, 'r-2'],
        ['GET', null, 'timeout', null],
      ],
    );
    assert.equal(exchanges[0]?.clientRequestId, exchanges[1]?.clientRequestId, 'a retry shares its call’s id');
    assert.notEqual(exchanges[2]?.clientRequestId, exchanges[0]?.clientRequestId, 'a new call, a new id');
    assert.ok(exchanges.every((e) => e.clientRequestId !== null));
    assert.equal(exchanges[1]?.date, DATE);
    assert.equal(exchanges[1]?.diagnostic, DIAGNOSTIC);
    assert.equal(
      exchanges[1]?.path,
      `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${target.ids.requestId}/cancel`,
    );
    assert.doesNotMatch(JSON.stringify(exchanges), /secret-token|Bearer/);
  });
});
