// Executes catalog entries against Microsoft Graph with the user's delegated token.
// The Graph client gets an explicit middleware chain: authentication, 429 retries (ThrottleRetry),
// then our own fetch step with a deadline. Its default chain would add RetryHandler, which
// re-sends POSTs after 503/504; a cancel or a resume may already have taken effect then, so only
// 429 is retried in the chain, and the governance service reads before any other re-send.

import { randomUUID } from 'node:crypto';
import {
  AuthenticationHandler,
  AuthenticationProvider,
  Client,
  Context,
  Middleware,
  ResponseType,
} from '@microsoft/microsoft-graph-client';
import { BadInputError, DomainError, GraphEvidence, InvalidStateError, NotPermittedError } from '../domain/errors';
import { AccessTokenSource, GraphPort, StateRead } from '../domain/governance';
import {
  CATALOG,
  GraphVersion,
  HttpMethod,
  OperationName,
  OperationSpec,
  Target,
  fillPath,
  isGuid,
  stateIn,
} from '../domain/operations';
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

class TokenSourceProvider implements AuthenticationProvider {
  constructor(private readonly source: AccessTokenSource) {}
  getAccessToken(): Promise<string> {
    return this.source();
  }
}

/** The last step of the chain: one HTTP exchange with a timeout. */
class FetchStep implements Middleware {
  /** Set when the attempt ran out of time. The client wraps whatever the chain throws into its
   * own error type, so the gateway asks the step instead of inspecting the error. */
  timedOut = false;
  constructor(
    private readonly fetchFn: FetchLike,
    private readonly timeoutMs: number,
  ) {}
  async execute(context: Context): Promise<void> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.timedOut = true;
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
  private readonly customHosts: Set<string> | undefined;

  constructor(private readonly opts: GraphGatewayOptions) {
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = opts.now ?? Date.now;
    const host = new URL(opts.graphEndpoint).hostname;
    // The client attaches the token only to hosts it knows; without this it silently drops it.
    this.customHosts = MICROSOFT_GRAPH_HOSTS.has(host) ? undefined : new Set([host]);
  }

  /** The catalog entry's request (its method and version). Any 2xx is success. */
  async write(target: Target, token: AccessTokenSource): Promise<GraphEvidence> {
    const spec = CATALOG[target.operation];
    const path = this.pathFor(spec.path, spec.idFromRead ? await this.withIdFromRead(target, token) : target);
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
      if (item && spec.read.view) item = { ...spec.read.view(item) };
      const v = item?.[spec.read.stateField];
      state = typeof v === 'string' ? v : null;
    } catch {
      state = null;
    }
    const graph = evidenceOf({ status: answer.status, headers: answer.headers, bodyText: null });
    return item ? { state, item, graph } : { state, graph };
  }

  /**
   * A plain read for the lists (my approvals, my requests): the parsed JSON of one GET. Errors are
   * mapped with `operation`'s permission and role. `path` is relative to the version root.
   */
  async getJson(
    operation: OperationName,
    version: GraphVersion,
    path: string,
    token: AccessTokenSource,
  ): Promise<unknown> {
    const answer = await this.call(CATALOG[operation], token, { method: 'GET', version }, path, undefined);
    return JSON.parse(answer.bodyText ?? '{}') as unknown;
  }

  /** Several GETs in one JSON batch (at most 20, graph-reference §11): each answer by its id. */
  async batchGet(
    operation: OperationName,
    version: GraphVersion,
    requests: ReadonlyArray<{ readonly id: string; readonly url: string }>,
    token: AccessTokenSource,
  ): Promise<Map<string, { status: number; body: unknown }>> {
    if (requests.length > 20) throw new BadInputError('A JSON batch holds at most 20 requests.');
    const body = { requests: requests.map((r) => ({ id: r.id, method: 'GET', url: r.url })) };
    const answer = await this.call(CATALOG[operation], token, { method: 'POST', version }, '/$batch', body);
    const parsed = JSON.parse(answer.bodyText ?? '{}') as {
      responses?: Array<{ id?: unknown; status?: unknown; body?: unknown }>;
    };
    const out = new Map<string, { status: number; body: unknown }>();
    for (const r of parsed.responses ?? []) {
      if (typeof r.id === 'string' && typeof r.status === 'number') out.set(r.id, { status: r.status, body: r.body });
    }
    return out;
  }

  /** The Graph root this gateway calls, for checking @odata.nextLink before following it. */
  get endpoint(): string {
    return this.opts.graphEndpoint;
  }

  /**
   * The target with the id the user never types (an approval's stage), from a read just before
   * the write: refused without a Graph write when the read shows nothing to act on.
   */
  private async withIdFromRead(target: Target, token: AccessTokenSource): Promise<Target> {
    const spec = CATALOG[target.operation];
    const name = spec.idFromRead ?? '';
    const read = await this.readState(target, token);
    const id = read.item?.[name];
    const finished = [...spec.doneStates, ...spec.decisions.flatMap((d) => d.provenBy)];
    if (read.state && !stateIn(read.state, spec.allowedStates) && !stateIn(read.state, finished)) {
      // Neither open for this user nor finished: not (or not yet) their stage.
      throw new NotPermittedError(`The ${spec.noun} is ${read.state}.`, read.graph);
    }
    if (!stateIn(read.state, spec.allowedStates) || !isGuid(id)) {
      // The governance service re-reads the item to say who decided, when Graph tells it.
      throw new InvalidStateError(`The ${spec.noun} is not waiting for your decision.`, null, read.graph);
    }
    return { ...target, ids: { ...target.ids, [name]: id } };
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
    const { client, step } = this.client(() => Promise.resolve(accessToken));
    const answer = await this.once(client, step, request, path, body, randomUUID());
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw mapGraphError(spec.name, answer, this.now());
  }

  private client(token: AccessTokenSource): { client: Client; step: FetchStep } {
    const auth = new AuthenticationHandler(new TokenSourceProvider(token));
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
    const client = Client.initWithMiddleware({
      baseUrl: `${this.opts.graphEndpoint}/`,
      middleware: auth,
      ...(this.customHosts ? { customHosts: this.customHosts } : {}),
    });
    return { client, step };
  }

  private async once(
    client: Client,
    step: FetchStep,
    { method, version }: GraphRequestLine,
    path: string,
    body: unknown,
    clientRequestId: string,
  ): Promise<Attempt> {
    const request = client
      .api(path)
      .version(version)
      .header('client-request-id', clientRequestId)
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
      throw noAnswerError(step.timedOut ? 'timeout' : 'network');
    }
    const text = response.status === 204 ? null : await response.text();
    return { status: response.status, headers: response.headers, bodyText: text === '' ? null : text };
  }
}
