// The generic Graph reads behind the lists (my approvals, my requests): one GET, a JSON batch of
// GETs, and the Graph root to check @odata.nextLink against. They share the one Graph client
// (GraphCaller) with the catalog writes and state reads that GraphGateway adds on top.

import type { Attempts } from '../domain/attempts';
import { BadInputError } from '../domain/errors';
import { AccessTokenSource } from '../domain/governance';
import { CATALOG, GraphVersion, OperationName } from '../domain/operations';
import { GraphCaller, GraphGatewayOptions } from './graphCaller';

/** One answer of a JSON batch. */
export interface BatchAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export class GraphReads {
  protected readonly caller: GraphCaller;

  constructor(opts: GraphGatewayOptions) {
    this.caller = new GraphCaller(opts);
  }

  /**
   * A plain read for the lists (my approvals, my requests): the parsed JSON of one GET. Errors are
   * mapped with `operation`'s permission and role. `path` is relative to the version root.
   * `budgetMs`: the whole call's time, retries included, when less than a call's 30 s is left.
   * `attempts`: the attempts this read made before (its throttled $batch item), counted with its own.
   */
  async getJson(
    operation: OperationName,
    version: GraphVersion,
    path: string,
    token: AccessTokenSource,
    budgetMs?: number,
    attempts?: Attempts,
  ): Promise<unknown> {
    const line = {
      method: 'GET',
      version,
      ...(budgetMs !== undefined ? { budgetMs } : {}),
      ...(attempts ? { attempts } : {}),
    } as const;
    const answer = await this.caller.call(CATALOG[operation], token, line, path, undefined);
    return JSON.parse(answer.bodyText ?? '{}') as unknown;
  }

  /** Several GETs in one JSON batch (at most 20, graph-reference §11): each answer by its id. */
  async batchGet(
    operation: OperationName,
    version: GraphVersion,
    requests: ReadonlyArray<{ readonly id: string; readonly url: string }>,
    token: AccessTokenSource,
    budgetMs?: number,
  ): Promise<Map<string, BatchAnswer>> {
    if (requests.length > 20) throw new BadInputError('A JSON batch holds at most 20 requests.');
    const body = { requests: requests.map((r) => ({ id: r.id, method: 'GET', url: r.url })) };
    // A batch of GETs only reads: the POST that carries it may be sent again after a 503 or 504
    // as a GET would be, within the same budget (https://learn.microsoft.com/graph/json-batching;
    // https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors).
    const line = { method: 'POST', version, readsOnly: true, ...(budgetMs !== undefined ? { budgetMs } : {}) } as const;
    const answer = await this.caller.call(CATALOG[operation], token, line, '/$batch', body);
    const parsed = JSON.parse(answer.bodyText ?? '{}') as {
      responses?: Array<{ id?: unknown; status?: unknown; body?: unknown; headers?: unknown }>;
    };
    const out = new Map<string, BatchAnswer>();
    for (const r of parsed.responses ?? []) {
      if (typeof r.id !== 'string' || typeof r.status !== 'number') continue;
      // Each item carries its own headers (a throttled item its own Retry-After; the batch is 200).
      const headers: Record<string, string> = {};
      if (r.headers && typeof r.headers === 'object') {
        for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
      }
      out.set(r.id, { status: r.status, body: r.body, headers });
    }
    return out;
  }

  /**
   * A POST to a Graph action that only reads (checkMemberGroups): Graph's answer whatever its
   * status, through the shared chain (429/503/504 retried within `budgetMs`, a deadline on every
   * attempt, a client-request-id and a graph.exchange line). No answer throws.
   */
  async postReading(
    version: GraphVersion,
    path: string,
    body: unknown,
    token: string,
    budgetMs: number,
  ): Promise<{ readonly status: number; readonly bodyText: string | null }> {
    return this.caller.send(token, { method: 'POST', version, readsOnly: true, budgetMs }, path, body);
  }

  /**
   * A GET whose answer, whatever its status, is the caller's to read (the ownership read): the
   * shared chain as postReading's. `path` may carry its own query (an @odata.nextLink's).
   */
  async getReading(
    version: GraphVersion,
    path: string,
    query: Readonly<Record<string, string>> | undefined,
    token: string,
    budgetMs: number,
  ): Promise<{ readonly status: number; readonly bodyText: string | null }> {
    return this.caller.send(token, { method: 'GET', version, budgetMs, ...(query ? { query } : {}) }, path, undefined);
  }

  /** The Graph root this gateway calls, for checking @odata.nextLink before following it. */
  get endpoint(): string {
    return this.caller.endpoint;
  }
}
