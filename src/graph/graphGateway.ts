// Executes catalog entries against Microsoft Graph with the user's delegated token.
// The Graph client gets an explicit middleware chain: authentication, 429 retries (ThrottleRetry),
// then our own fetch step with a deadline. Its default chain would add RetryHandler, which
// re-sends POSTs after 503/504; a cancel or a resume may already have taken effect then, so only
// 429 is retried in the chain, and the governance service reads before any other re-send.

import { randomUUID } from 'node:crypto';
import {
  AuthenticationHandler,
  AuthenticationHandlerOptions,
  AuthenticationProvider,
  Client,
  Context,
  Middleware,
  MiddlewareOptions,
  ResponseType,
} from '@microsoft/microsoft-graph-client';
import { BadInputError, DomainError, GraphEvidence } from '../domain/errors';
import { AccessTokenSource, GraphPort, StateRead } from '../domain/governance';
import { CATALOG, GraphVersion, HttpMethod, OperationSpec, Target, fillPath, isGuid } from '../domain/operations';
import { DEFAULT_RETRY_AFTER_SECONDS, evidenceOf, noAnswerError, mapGraphError } from './graphErrors';
import { ThrottleRetry } from './throttleRetry';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface GraphGatewayOptions {
  /** https root of Graph, no trailing slash (GRAPH_ENDPOINT). */
  readonly graphEndpoint: string;
  /** Terminal HTTP step; global fetch by default, the simulated tenant in component tests. */
  readonly fetch?: FetchLike;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Per attempt. */
  readonly timeoutMs?: number;
  /** At most this many attempts per call when throttled (contract §4: 5). */
  readonly maxAttempts?: number;
  /** Never wait past this budget per call (contract §4: 30 s). */
  readonly budgetMs?: number;
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

/** What one call's attempts tell the gateway, carried as a request option of that call. */
class CallState implements MiddlewareOptions {
  /** Set when an attempt ran out of time. The client wraps whatever the chain throws into its
   * own error type, so the gateway asks this instead of inspecting the error. */
  timedOut = false;
}

/** The last step of the chain: one HTTP exchange with a timeout. */
class FetchStep implements Middleware {
  constructor(
    private readonly fetchFn: FetchLike,
    private readonly timeoutMs: number,
  ) {}
  async execute(context: Context): Promise<void> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const state = context.middlewareControl?.getMiddlewareOptions(CallState) as CallState | undefined;
        if (state) state.timedOut = true;
        controller.abort();
        reject(new Error('Microsoft Graph did not answer in time.'));
      }, this.timeoutMs);
    });
    try {
      const url = typeof context.request === 'string' ? context.request : context.request.url;
      // Racing the deadline also covers a fetch that ignores the abort signal; reading the body
      // inside the race means a stalled body counts as a timeout too.
      context.response = await Promise.race([
        (async () => {
          const response = await this.fetchFn(url, { ...context.options, signal: controller.signal });
          const text = response.status === 204 ? '' : await response.text();
          return new Response(text === '' ? null : text, { status: response.status, headers: response.headers });
        })(),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The method and Graph version of one request, as the catalog entry names them. */
interface GraphRequestLine {
  readonly method: HttpMethod;
  readonly version: GraphVersion;
}

interface Attempt {
  readonly status: number;
  readonly headers: Headers;
  readonly bodyText: string | null;
}

export class GraphGateway implements GraphPort {
  private readonly fetchFn: FetchLike;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  /** One client and middleware chain for every call and user: the token and the call's state
   * travel as request options, so a turn builds no client. */
  private readonly client: Client;

  constructor(private readonly opts: GraphGatewayOptions) {
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = opts.now ?? Date.now;
    const host = new URL(opts.graphEndpoint).hostname;
    // The client attaches the token only to hosts it knows; without this it silently drops it.
    const customHosts = MICROSOFT_GRAPH_HOSTS.has(host) ? undefined : new Set([host]);
    this.client = this.newClient(customHosts);
  }

  /** The catalog entry's request (its method and version). Any 2xx is success. */
  async write(target: Target, token: AccessTokenSource): Promise<GraphEvidence> {
    const spec = CATALOG[target.operation];
    const path = this.pathFor(spec.path, target);
    const body = spec.body(target);
    const answer = await this.call(spec, token, { method: spec.method, version: spec.version }, path, body);
    return evidenceOf({ status: answer.status, headers: answer.headers, bodyText: answer.bodyText });
  }

  /** GET the item to learn its state. */
  async readState(target: Target, token: AccessTokenSource): Promise<StateRead> {
    const spec = CATALOG[target.operation];
    const read = { method: 'GET', version: spec.read.version } as const;
    const answer = await this.call(spec, token, read, this.pathFor(spec.read.path, target), undefined);
    let state: string | null = null;
    let item: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(answer.bodyText ?? '{}');
      item = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
      const v = item?.[spec.read.stateField];
      state = typeof v === 'string' ? v : null;
    } catch {
      state = null;
    }
    const graph = evidenceOf({ status: answer.status, headers: answer.headers, bodyText: null });
    return item ? { state, item, graph } : { state, graph };
  }

  private pathFor(template: string, target: Target): string {
    const spec = CATALOG[target.operation];
    for (const name of spec.idNames) {
      if (!isGuid(target.ids[name])) throw new BadInputError(`${name} must be a GUID.`);
    }
    return fillPath(template, target.ids);
  }

  /** One logical call: 429s are retried in the chain (ThrottleRetry), sharing one client-request-id. */
  private async call(
    spec: OperationSpec,
    token: AccessTokenSource,
    request: GraphRequestLine,
    path: string,
    body: unknown,
  ): Promise<Attempt> {
    // Resolve the token first: a missing sign-in is the user's to fix, not a Graph failure.
    const accessToken = await token();
    const answer = await this.once(new CallToken(accessToken), request, path, body, randomUUID());
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw mapGraphError(spec.name, answer, this.now());
  }

  private newClient(customHosts: Set<string> | undefined): Client {
    const auth = new AuthenticationHandler(NO_TOKEN);
    const throttle = new ThrottleRetry({
      maxAttempts: this.opts.maxAttempts ?? 5,
      budgetMs: this.opts.budgetMs ?? 30_000,
      defaultWaitMs: DEFAULT_RETRY_AFTER_SECONDS * 1000,
      now: this.now,
      sleep: this.sleep,
    });
    const step = new FetchStep(this.fetchFn, this.opts.timeoutMs ?? 20_000);
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
    { method, version }: GraphRequestLine,
    path: string,
    body: unknown,
    clientRequestId: string,
  ): Promise<Attempt> {
    const state = new CallState();
    const request = this.client
      .api(path)
      .version(version)
      .header('client-request-id', clientRequestId)
      .middlewareOptions([new AuthenticationHandlerOptions(token), state])
      .responseType(ResponseType.RAW);
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
      throw noAnswerError(state.timedOut ? 'timeout' : 'network');
    }
    const text = response.status === 204 ? null : await response.text();
    return { status: response.status, headers: response.headers, bodyText: text === '' ? null : text };
  }
}
