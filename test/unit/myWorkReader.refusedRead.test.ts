// A list read Graph refuses with 400 (a $skiptoken it no longer takes, a query it does not
// support) or 409 says nothing of any request's state: "400 Bad Request: Can't process the request
// because it's malformed or incorrect" (https://learn.microsoft.com/graph/errors), and a next page's
// token is Graph's own (https://learn.microsoft.com/graph/paging). The list read's error was mapped
// as the row operation's write error would be, so the part read "could not be listed: not possible
// in its current state. This works only while the access package assignment request is submitted…"
// as if a request had been acted on. It is a refusal of the read: said plainly, nothing changed.

import { strict as assert } from 'node:assert';
import { explainShort } from '../../src/bot/listWords';
import type { BatchAnswer } from '../../src/graph/graphReads';
import { mapGraphError } from '../../src/graph/graphErrors';
import { ListReads, MyWorkReader } from '../../src/graph/myWorkReader';

const ROOT = 'https://graph.microsoft.com';
const REFUSAL = {
  error: {
    code: 'BadRequest',
    message: 'The $skiptoken is not valid for this request.',
    innerError: { date: '2026-11-30T16:00:00', 'request-id': '11111111-1111-4111-8111-111111111111' },
  },
};
const NEXT = `${ROOT}/v1.0/identityGovernance/entitlementManagement/assignmentRequests/filterByCurrentUser(on='target')?$skiptoken=abc`;

function reads(status: number, path: 'batch' | 'alone'): ListReads {
  return {
    endpoint: ROOT,
    async batchGet(_op, _v, requests) {
      return new Map(
        requests.map((r): [string, BatchAnswer] => [
          r.id,
          r.id.startsWith('access') && path === 'batch'
            ? { status, headers: {}, body: REFUSAL }
            : r.id.startsWith('access')
              ? { status: 503, headers: { 'retry-after': '0' }, body: null }
              : { status: 200, headers: {}, body: { value: [] } },
        ]),
      );
    },
    async getJson(operation) {
      // The gateway's own mapping of the same answer to a read sent alone.
      throw mapGraphError(operation, {
        status,
        headers: { get: () => null },
        bodyText: JSON.stringify(REFUSAL),
      });
    },
  } as ListReads;
}

describe('a list read Graph refuses with 400 or 409 is said as a refused read, not as a request’s state', () => {
  for (const status of [400, 409]) {
    for (const path of ['batch', 'alone'] as const) {
      it(`HTTP ${status}, ${path === 'batch' ? 'in the batch' : 'read again alone'}`, async () => {
        const reader = new MyWorkReader(reads(status, path), { sleep: () => Promise.resolve() });
        const fetched = await reader.fetch('requests', async () => 'token', { 'access.submitted': NEXT });
        const failed = fetched.failed.find((f) => f.kind === 'access');
        assert.ok(failed, 'the access package part failed');
        assert.notEqual(failed.error.code, 'INVALID_STATE');
        assert.equal(failed.error.graph.status, status);
        const words = explainShort('requests', 'access', failed.error, failed.reads);
        assert.doesNotMatch(words, /state|works only while|already acted/i, words);
        assert.match(words, /could not be listed: refused by Microsoft Graph\. Nothing was changed\./, words);
      });
    }
  }
});
