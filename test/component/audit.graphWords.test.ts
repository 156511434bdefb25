// What Graph's answer names for support reaches the audit line, the graph.exchange log line and
// the cards that quote them: its request-id, its error `code`, its Date and x-ms-ags-diagnostic
// headers (https://learn.microsoft.com/graph/best-practices-concept#reliability-and-support), and
// the client-request-id a $batch item's answer echoes. Graph documents short shapes for each: the
// error resource's `code` is a string naming the error, `innerError.request-id` and
// `client-request-id` are GUIDs (https://learn.microsoft.com/graph/errors, graph-reference §10.1),
// Date is an HTTP-date of 29 characters (https://www.rfc-editor.org/rfc/rfc9110#section-5.6.7).
// Nothing bounds what an answer holds: a value past its shape's bound is cut where it is read
// (graphWords.ts: 64 characters for a word, 40 for a date, 256 for the diagnostic, "…" at the cut),
// and control characters, which none of those shapes has, are left out.

import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import type { AuditLine } from '../../src/domain/governance';
import { GovernanceService } from '../../src/domain/governance';
import { Target } from '../../src/domain/operations';
import type { GraphExchange } from '../../src/graph/fetchStep';
import { evidenceOf } from '../../src/graph/graphErrors';
import { GraphGateway } from '../../src/graph/graphGateway';
import { isControl } from '../../src/domain/characters';
import { auditTo, createLogger } from '../../src/log';

const BASE = 'https://127.0.0.1:9443';
const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' } };
const actor = { aadObjectId: 'u1', getToken: () => Promise.resolve('not-a-jwt') };

// Far past any bound, each with a C1 control (NEL, which a reader may take for a line's end) that
// a header may carry as a byte (Headers take any ByteString but NUL, CR and LF).
const LONG_ID = `rid\u0085${'r'.repeat(5000)}`;
const LONG_DATE = `Thu, 13 Feb 2025\u0085${'D'.repeat(5000)}`;
const LONG_DIAGNOSTIC = `{"ServerInfo":{"DataCenter":"\u0085${'x'.repeat(20000)}"}}`;
// A body's string may hold any character: NUL, line breaks, U+2028 too.
const LONG_CODE = `Code\u0000\n\u2028${'C'.repeat(5000)}`;

const cut = (text: string, max: number): string => `${text.slice(0, max - 1)}…`;
const ID_KEPT = cut(`rid${'r'.repeat(5000)}`, 64);
const DATE_KEPT = cut(`Thu, 13 Feb 2025${'D'.repeat(5000)}`, 40);
const DIAGNOSTIC_KEPT = cut(`{"ServerInfo":{"DataCenter":"${'x'.repeat(20000)}"}}`, 256);
const CODE_KEPT = cut(`Code${'C'.repeat(5000)}`, 64);

interface Run {
  readonly line: AuditLine;
  readonly exchanges: GraphExchange[];
  readonly logged: string[];
}

/** One cancel whose every answer is `answer()`, audited through the real logger. */
async function run(answer: () => Response): Promise<Run> {
  const lines: AuditLine[] = [];
  const exchanges: GraphExchange[] = [];
  const logged: string[] = [];
  const logger = createLogger({
    destination: new Writable({
      write(chunk: Buffer, _enc, done) {
        logged.push(
          ...chunk
            .toString('utf8')
            .split('\n')
            .filter((l) => l !== ''),
        );
        done();
      },
    }),
  });
  const audit = auditTo(logger);
  const gateway = new GraphGateway({
    graphEndpoint: BASE,
    sleep: () => Promise.resolve(),
    onExchange: (x) => {
      exchanges.push(x);
      logger.info({ event: 'graph.exchange', ...x }, 'Microsoft Graph exchange');
    },
    fetch: () => Promise.resolve(answer()),
  });
  const service = new GovernanceService({
    cloud: 'global',
    graph: gateway,
    audit: (l) => {
      lines.push(l);
      audit(l);
    },
    newId: () => 'c1',
  });
  await service.perform(target, actor);
  assert.equal(lines.length, 1);
  return { line: lines[0]!, exchanges, logged };
}

const errorBody = (innerError: Record<string, unknown>): string =>
  JSON.stringify({ error: { code: LONG_CODE, message: 'Not found.', innerError } });

/** The log's lines of `event`, parsed; each written line is one JSON object. */
function loggedOf(logged: readonly string[], event: string): Record<string, unknown>[] {
  return logged.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === event);
}

describe('Graph’s request-id, error code, Date and diagnostic reach the audit line and the log cut', () => {
  it('an error answer: each header and the body’s code cut where read, the same on every line', async () => {
    const { line, exchanges, logged } = await run(
      () =>
        new Response(errorBody({ 'request-id': 'body-rid' }), {
          status: 404,
          headers: {
            'content-type': 'application/json',
            'request-id': LONG_ID,
            date: LONG_DATE,
            'x-ms-ags-diagnostic': LONG_DIAGNOSTIC,
          },
        }),
    );
    assert.equal(line.errorCode, 'NOT_FOUND');
    assert.equal(line.graphRequestId, ID_KEPT);
    assert.equal(line.graphErrorCode, CODE_KEPT);
    assert.equal(line.graphDate, DATE_KEPT);
    assert.equal(line.graphDiagnostic, DIAGNOSTIC_KEPT);
    assert.ok(exchanges.length > 0);
    for (const x of exchanges) {
      assert.equal(x.requestId, ID_KEPT);
      assert.equal(x.date, DATE_KEPT);
      assert.equal(x.diagnostic, DIAGNOSTIC_KEPT);
    }
    const [audited] = loggedOf(logged, 'governance.action');
    assert.equal(audited?.graphRequestId, ID_KEPT);
    assert.equal(audited?.graphErrorCode, CODE_KEPT);
    assert.equal(audited?.graphDate, DATE_KEPT);
    assert.equal(audited?.graphDiagnostic, DIAGNOSTIC_KEPT);
    for (const x of loggedOf(logged, 'graph.exchange')) assert.equal(x.diagnostic, DIAGNOSTIC_KEPT);
    // No control character is written raw: JSON escapes C0 ones, and none other came through.
    for (const l of logged) assert.ok(![...l].some(isControl), l.slice(0, 200));
  });

  it('an error answer with its request-id in its body only: that one, cut once', async () => {
    const { line, exchanges } = await run(
      () =>
        new Response(errorBody({ 'request-id': LONG_ID, 'client-request-id': LONG_ID }), {
          status: 404,
          headers: { 'content-type': 'application/json' },
        }),
    );
    assert.equal(line.graphRequestId, ID_KEPT);
    assert.deepEqual(
      exchanges.map((x) => x.requestId),
      exchanges.map(() => ID_KEPT),
    );
    // The client-request-id the bot sent, not the body's echo of it.
    assert.match(String(line.graphClientRequestId), /^[0-9a-f-]{36}$/);
  });

  it('a success: its headers cut on the audit line, which takes them from the last answer', async () => {
    const { line } = await run(
      () =>
        new Response(null, {
          status: 204,
          headers: { 'request-id': LONG_ID, date: LONG_DATE, 'x-ms-ags-diagnostic': LONG_DIAGNOSTIC },
        }),
    );
    assert.equal(line.outcome, 'succeeded');
    assert.equal(line.graphRequestId, ID_KEPT);
    assert.equal(line.graphDate, DATE_KEPT);
    assert.equal(line.graphDiagnostic, DIAGNOSTIC_KEPT);
  });

  it('a $batch item’s answer (no exchange of its own): read and cut from the item’s headers and body', () => {
    const headers: Record<string, string> = {
      date: LONG_DATE,
      'x-ms-ags-diagnostic': LONG_DIAGNOSTIC,
      'client-request-id': LONG_ID,
    };
    const evidence = evidenceOf({
      status: 404,
      headers: { get: (name) => headers[name.toLowerCase()] ?? null },
      bodyText: errorBody({ 'request-id': LONG_ID }),
    });
    assert.deepEqual(evidence, {
      status: 404,
      requestId: ID_KEPT,
      errorCode: CODE_KEPT,
      clientRequestId: ID_KEPT,
      date: DATE_KEPT,
      diagnostic: DIAGNOSTIC_KEPT,
    });
  });

  it('values of Graph’s own shapes pass as they are', () => {
    const headers: Record<string, string> = {
      'request-id': '93b6f17e-c05d-4f45-ad2a-6665c708d8a0',
      date: 'Thu, 13 Feb 2025 10:17:06 GMT',
      'x-ms-ags-diagnostic':
        '{"ServerInfo":{"DataCenter":"North Europe","Slice":"E","Ring":"4","ScaleUnit":"008","RoleInstance":"DB1PEPF00005AD2"}}',
    };
    const evidence = evidenceOf({
      status: 403,
      headers: { get: (name) => headers[name.toLowerCase()] ?? null },
      bodyText: JSON.stringify({ error: { code: 'RoleAssignmentRequestPolicyValidationFailed', message: 'x' } }),
    });
    assert.equal(evidence.requestId, headers['request-id']);
    assert.equal(evidence.date, headers.date);
    assert.equal(evidence.diagnostic, headers['x-ms-ags-diagnostic']);
    assert.equal(evidence.errorCode, 'RoleAssignmentRequestPolicyValidationFailed');
  });
});
