// Whether a decision was sent decides its words. A failure before the write (a read the bot makes
// first: the one that names the approval stage, the one before an access package decision, the
// write's own read of the stage; or the operation's time running out before the PATCH) sent
// nothing: the person is told nothing was changed and to try again, never to "check before trying
// again, so it is not changed twice". A write whose answer was lost (a 5xx, no answer) may have
// acted: it keeps "may or may not have taken effect" and how to check
// (https://learn.microsoft.com/en-us/graph/errors: a 5xx or no answer says nothing of the outcome).
// Either way the one audit line says `failed` with `UPSTREAM`, and `graphStatus` is the status of
// Graph's last answer, null only when none came (contract §6).
// The decision: https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0
// The approval read: https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { AuditLine, GovernanceService } from '../../src/domain/governance';
import { CATALOG, Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';

const BASE = 'https://127.0.0.1:9443';
const REQUEST = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const STAGE = '7a1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4c';
const target: Target = { operation: 'decideAccessPackageApproval', ids: { requestId: REQUEST }, decision: 'approve' };
const actor = { aadObjectId: 'u1', getToken: () => Promise.resolve('not-a-jwt') };

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'request-id': 'r' } });
const OPEN = json(200, { id: REQUEST, stages: [{ id: STAGE, assignedToMe: true, status: 'InProgress' }] });
/** The approval read shows no stage of the reader's (a read that lags, say). */
const NONE_MINE = json(200, { id: REQUEST, stages: [] });
const BUSY = () => json(503, { error: { code: 'serviceUnavailable', message: 'x' } });
const NOBODY = () => Promise.reject(new TypeError('fetch failed'));

type Answer = Response | Promise<Response>;
/** Which kind of request it is, and how many of that kind came before it. */
type Script = (kind: 'approval' | 'requester' | 'patch', n: number) => Answer;

interface Row {
  readonly name: string;
  readonly script: Script;
  /** The operation's time (a command's, a click's), when it has one. */
  readonly budgetMs?: number;
  /** Milliseconds each read of this kind takes. */
  readonly slow?: { readonly kind: 'approval' | 'requester'; readonly ms: number };
  readonly sent: boolean;
  readonly graphStatus: number | null;
}

const ROWS: readonly Row[] = [
  {
    name: 'the read naming the stage answers 503',
    script: (k) => (k === 'approval' ? BUSY() : json(200, { value: [] })),
    sent: false,
    graphStatus: 503,
  },
  {
    name: 'the read naming the stage gets no answer',
    script: (k) => (k === 'approval' ? NOBODY() : json(200, { value: [] })),
    sent: false,
    graphStatus: null,
  },
  {
    name: "the write's own read of the stage answers 503",
    script: (k, n) => (k === 'approval' ? (n === 0 ? NONE_MINE.clone() : BUSY()) : json(200, { value: [] })),
    sent: false,
    graphStatus: 503,
  },
  {
    name: 'the read of who asked answers 503',
    script: (k) => (k === 'approval' ? OPEN.clone() : k === 'requester' ? BUSY() : json(204, {})),
    sent: false,
    graphStatus: 503,
  },
  {
    name: "the read naming the stage took the operation's time",
    script: (k) => (k === 'approval' ? OPEN.clone() : json(200, { value: [] })),
    budgetMs: 10_000,
    slow: { kind: 'approval', ms: 11_000 },
    sent: false,
    graphStatus: 200,
  },
  {
    name: 'the read of who asked took the rest of the time',
    script: (k) => (k === 'approval' ? OPEN.clone() : json(200, { value: [] })),
    budgetMs: 10_000,
    slow: { kind: 'requester', ms: 11_000 },
    sent: false,
    graphStatus: 200,
  },
  {
    name: 'the PATCH and its re-send answer 503',
    script: (k) => (k === 'approval' ? OPEN.clone() : k === 'requester' ? json(200, { value: [] }) : BUSY()),
    sent: true,
    // The last read after the re-send answered 200: Graph's last answer (this row said 503 before,
    // the re-send's, which contract §6 does not ask for).
    graphStatus: 200,
  },
  {
    name: 'the PATCH gets no answer, its re-send answers 503',
    script: (k, n) =>
      k === 'approval' ? OPEN.clone() : k === 'requester' ? json(200, { value: [] }) : n === 0 ? NOBODY() : BUSY(),
    sent: true,
    // As above: the last read after the re-send answered 200.
    graphStatus: 200,
  },
];

function run(row: Row) {
  let clock = 1_000_000;
  const counts = { approval: 0, requester: 0, patch: 0 };
  const lines: AuditLine[] = [];
  const gateway = new GraphGateway({
    graphEndpoint: BASE,
    budgetMs: 30_000,
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
    fetch: (input, init) => {
      const method = (init?.method ?? 'GET').toUpperCase();
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const kind = method === 'PATCH' ? 'patch' : url.includes('filterByCurrentUser') ? 'requester' : 'approval';
      if (kind === row.slow?.kind) clock += row.slow.ms;
      return Promise.resolve(row.script(kind, counts[kind]++));
    },
  });
  const service = new GovernanceService({
    cloud: 'global',
    graph: gateway,
    audit: (l) => lines.push(l),
    newId: () => 'c1',
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
  });
  return { lines, counts, outcome: service.perform(target, actor, {}, row.budgetMs) };
}

describe('a failed decision says whether it was sent', () => {
  for (const row of ROWS) {
    it(`${row.name}: ${row.sent ? 'may or may not have taken effect, check first' : 'not sent, nothing changed, try again'}`, async () => {
      const { lines, counts, outcome: pending } = run(row);
      const outcome = await pending;
      assert.ok(!outcome.ok, 'it failed');
      assert.equal(counts.patch > 0, row.sent, `PATCHes sent: ${counts.patch}`);
      for (const by of ['command', 'button'] as const) {
        const w = explain(outcome.error, CATALOG[target.operation], target, by);
        const said = `${w.title}. ${w.what} ${w.next}`;
        if (row.sent) {
          assert.match(said, /may or may not have taken effect/, said);
          assert.match(
            said,
            /Check the access package request approval in the Entra admin center before trying again/,
            said,
          );
          assert.doesNotMatch(said, /Nothing was changed|not sent/i, said);
        } else {
          assert.match(said, /Nothing was changed/, said);
          assert.match(said, by === 'button' ? /Press the button again/ : /Send the command again/, said);
          assert.doesNotMatch(said, /before trying again|not changed twice|may or may not/, said);
        }
      }
      assert.equal(lines.length, 1, JSON.stringify(lines));
      assert.equal(lines[0]?.outcome, 'failed');
      assert.equal(lines[0]?.errorCode, 'UPSTREAM');
      assert.equal(lines[0]?.graphStatus, row.graphStatus, JSON.stringify(lines[0]));
    });
  }
});
