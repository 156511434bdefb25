// The one Graph client every Graph call shares, and the call itself. The client gets an explicit
// middleware chain: authentication, 429 retries (ThrottleRetry), then our own fetch step with a
// deadline. Its default chain would add RetryHandler, which re-sends POSTs after 503/504; a cancel
// or a resume may already have taken effect then, so the chain re-sends a write only after a 429
// (a read also after a 503/504), and the governance service reads before any other re-send.

import { randomUUID } from 'node:crypto';
import {
  AuthenticationHandler,
  AuthenticationHandlerOptions,
  AuthenticationProvider,
  Client,
  ResponseType,
} from '@microsoft/microsoft-graph-client';
import { decodeJwt } from '../auth/jwt';
import { Attempts, LEAST_ATTEMPT_MS, MAX_ATTEMPTS } from '../domain/attempts';
import { DomainError, NO_GRAPH, NO_TIME_TO_SEND, NotSentError, UpstreamError } from '../domain/errors';
import { AccessTokenSource } from '../domain/governance';
import type { LastAnswer } from '../domain/lastAnswer';
import { GraphVersion, HttpMethod, OperationSpec } from '../domain/operations';
import { DEFAULT_RETRY_AFTER_SECONDS, noAnswerError, mapGraphError, notReachedError } from './graphErrors';
import { CallAttempts, ThrottleRetry } from './throttleRetry';
import { CallState, DeadlineTimer, FetchLike, FetchStep, GraphExchange } from './fetchStep';
import { httpsFetch } from './httpsTransport';
import type { AnswerMarks } from './graphWords';

export interface GraphGatewayOptions {
  /** https root of Graph, no trailing slash (GRAPH_ENDPOINT). */
  readonly graphEndpoint: string;
  /** Terminal HTTP step; node:https with keep-alive by default (httpsTransport.ts), the simulated
   * tenant in component tests. */
  readonly fetch?: FetchLike;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Per attempt. */
  readonly timeoutMs?: number;
  /** At most this many attempts per call when throttled (contract §4: 5). */
  readonly maxAttempts?: number;
  /** Never wait past this budget per call (contract §4: 30 s). */
  readonly budgetMs?: number;
  /** Hears every HTTP exchange with Graph, for the log (fetchStep.ts GraphExchange). */
  readonly onExchange?: (exchange: GraphExchange) => void;
  /** Ends an attempt at its deadline on the clock `now` counts on (the wall clock's by default). */
  readonly timer?: DeadlineTimer;
}

const MICROSOFT_GRAPH_HOSTS = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'microsoftgraph.chinacloudapi.cn',
]);

/** The user's token for one call (the chain is shared; the token travels with the request). */
class CallToken implements AuthenticationProvider {
  constructor(private readonly token: string) {}
  getAccessToken(): Promise<string> {
    return Promise.resolve(this.token);
  }
}

/** The chain's own provider: never used, every request brings its caller's token. */
const NO_TOKEN: AuthenticationProvider = {
  getAccessToken: () => Promise.reject(new Error('A Graph request was sent without its caller token.')),
};

/** The method and Graph version of one request, as the catalog entry names them. */
export interface GraphRequestLine {
  readonly method: HttpMethod;
  readonly version: GraphVersion;
  /** OData query options ($filter, $expand), unencoded. */
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** A POST that only reads (a $batch of GETs, checkMemberGroups): sent again after a 503/504 as
   * a GET is (throttleRetry.ts). Never set for one of the catalog's writes. */
  readonly readsOnly?: boolean;
  /** The whole call's budget, retries included, when shorter than the client's (30 s). */
  readonly budgetMs?: number;
  /** The log of the command this call is part of: every answer Graph gives it is noted there. */
  readonly answers?: LastAnswer;
  /** The attempts this logical call made before this trip (a throttled $batch item, a write's
   * sends before its re-send): counted together against the 5 (domain/attempts.ts). */
  readonly attempts?: Attempts;
}

/** Graph's answer to one call. */
export interface GraphAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly bodyText: string | null;
  /** The client-request-id this call was sent with (logged: graph-reference §10.1). */
  readonly clientRequestId: string;
  /** Its request-id, Date and diagnostic as the exchange read and cut them (fetchStep.ts). */
  readonly marks: AnswerMarks | null;
}

/** The delegated permissions of a Graph access token (its `scp`), or null when it cannot be read. */
export function scopesOf(accessToken: string): string[] | null {
  try {
    const scp = decodeJwt(accessToken).claims.scp;
    return typeof scp === 'string' ? scp.split(' ').filter((s) => s !== '') : null;
  } catch {
    return null;
  }
}

/** The signed-in user's object id in a Graph access token (its `oid`), or null when it cannot be
 * read: decoded, not verified, like the scopes (Graph still decides). */
export function subjectOf(accessToken: string): string | null {
  try {
    const oid = decodeJwt(accessToken).claims.oid;
    return typeof oid === 'string' && oid !== '' ? oid : null;
  } catch {
    return null;
  }
}

/** How long one attempt of a Graph call may take (the call's budget, retries included, is 30 s). */
export const GRAPH_ATTEMPT_MS = 20_000;

export class GraphCaller {
  /** The clock every call's budget is counted on. */
  readonly now: () => number;
  /** One client and middleware chain for every call and user: the token and the call's state
   * travel as request options, so a turn builds no client. */
  private readonly client: Client;

  constructor(private readonly opts: GraphGatewayOptions) {
    this.now = opts.now ?? Date.now;
    const host = new URL(opts.graphEndpoint).hostname;
    // The client attaches the token only to hosts it knows; without this it silently drops it.
    const customHosts = MICROSOFT_GRAPH_HOSTS.has(host) ? undefined : new Set([host]);
    this.client = this.newClient(customHosts);
  }

  /** The Graph root this client calls. */
  get endpoint(): string {
    return this.opts.graphEndpoint;
  }

  /** One logical call: 429s are retried in the chain (ThrottleRetry), sharing one client-request-id. */
  async call(
    spec: OperationSpec,
    token: AccessTokenSource | string,
    request: GraphRequestLine,
    path: string,
    body: unknown,
  ): Promise<GraphAnswer> {
    // Resolve the token first: a missing sign-in is the user's to fix, not a Graph failure.
    const asked = this.now();
    const accessToken = typeof token === 'string' ? token : await token();
    const answer = await this.once(
      new CallToken(accessToken),
      this.lessTokenTime(request, asked),
      path,
      body,
      randomUUID(),
    );
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw mapGraphError(spec.name, answer, this.now(), scopesOf(accessToken));
  }

  /** The call's budget was what was left when it was asked: the time its token took comes out of
   * it, so the deadline the chain sets from it is the one its caller meant. Too little left: a
   * read is not answered in time, and a write is not sent (it could not be answered before then). */
  private lessTokenTime(request: GraphRequestLine, asked: number): GraphRequestLine {
    const spent = this.now() - asked;
    if (request.budgetMs === undefined || spent <= 0) return request;
    const budgetMs = request.budgetMs - spent;
    const reads = request.method === 'GET' || request.readsOnly === true;
    if (!reads && budgetMs < LEAST_ATTEMPT_MS) throw new NotSentError(NO_TIME_TO_SEND, NO_GRAPH);
    if (budgetMs <= 0) throw new UpstreamError('Microsoft Graph did not answer in time.', NO_GRAPH);
    return { ...request, budgetMs };
  }

  /** One logical call whose answer, whatever its status, is the caller's to read (no mapping):
   * the same chain, retries, deadline and exchange log as `call`. */
  send(accessToken: string, request: GraphRequestLine, path: string, body: unknown): Promise<GraphAnswer> {
    return this.once(new CallToken(accessToken), request, path, body, randomUUID());
  }

  private newClient(customHosts: Set<string> | undefined): Client {
    const fetchFn: FetchLike = this.opts.fetch ?? httpsFetch();
    const auth = new AuthenticationHandler(NO_TOKEN);
    const throttle = new ThrottleRetry({
      maxAttempts: this.opts.maxAttempts ?? MAX_ATTEMPTS,
      budgetMs: this.opts.budgetMs ?? 30_000,
      defaultWaitMs: DEFAULT_RETRY_AFTER_SECONDS * 1000,
      now: this.now,
      sleep: this.opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    });
    const step = new FetchStep(
      fetchFn,
      this.opts.timeoutMs ?? GRAPH_ATTEMPT_MS,
      this.now,
      this.opts.onExchange,
      this.opts.timer,
    );
    auth.setNext(throttle);
    throttle.setNext(step);
    return Client.initWithMiddleware({
      baseUrl: `${this.opts.graphEndpoint}/`,
      middleware: auth,
      ...(customHosts ? { customHosts } : {}),
    });
  }

  private async once(
    token: CallToken,
    { method, version, query, headers, readsOnly, budgetMs, answers, attempts }: GraphRequestLine,
    path: string,
    body: unknown,
    clientRequestId: string,
  ): Promise<GraphAnswer> {
    // Its callers check first; this keeps a spent count from ever reaching Graph.
    if (attempts && attempts.sent >= Math.min(attempts.limit, this.opts.maxAttempts ?? MAX_ATTEMPTS))
      throw new NotSentError(
        'Microsoft Graph was asked as many times as a call may be; it was not asked again.',
        NO_GRAPH,
      );
    const state = new CallState();
    state.readsOnly = readsOnly === true;
    state.budgetMs = budgetMs;
    state.answers = answers;
    // A path's own query (an @odata.nextLink's) goes in as a query: the client's path parser takes
    // an "https://" anywhere in the path, its query included, for the start of another host.
    const mark = path.indexOf('?');
    const request = this.client
      .api(mark === -1 ? path : path.slice(0, mark))
      .version(version)
      .header('client-request-id', clientRequestId)
      .middlewareOptions([
        new AuthenticationHandlerOptions(token),
        state,
        ...(attempts ? [new CallAttempts(attempts)] : []),
      ])
      .responseType(ResponseType.RAW);
    if (headers) request.headers(headers);
    if (mark !== -1) request.query(path.slice(mark + 1));
    if (query) request.query(query);
    let response: Response;
    try {
      response = (
        method === 'GET'
          ? await request.get()
          : method === 'PATCH'
            ? await request.patch(body)
            : await request.post(body)
      ) as Response;
    } catch (e) {
      if (e instanceof DomainError) throw e;
      if (state.neverSent) throw notReachedError(clientRequestId);
      throw noAnswerError(state.timedOut ? 'timeout' : 'network', clientRequestId);
    }
    const text = response.status === 204 ? null : await response.text();
    return {
      status: response.status,
      headers: response.headers,
      bodyText: text === '' ? null : text,
      clientRequestId,
      marks: state.marks,
    };
  }
}
