// Executes catalog entries against Microsoft Graph with the user's delegated token.
// The Graph client gets an explicit middleware chain: authentication, 429 retries (ThrottleRetry),
// then our own fetch step with a deadline. Its default chain would add RetryHandler, which
// re-sends POSTs after 503/504; a cancel or a resume may already have taken effect then, so only
// 429 is retried in the chain, and the governance service reads before any other re-send.
//
// Reads go as the user is entitled to: the admin read (get by id) when the user's token holds its
// permission, else, or when Graph refuses it, the self-service read (filterByCurrentUser with an
// id filter) that needs no admin role. The bot decodes its own delegated token's `scp` without
// verifying it: it got the token from Entra, and only chooses a read by it; Graph still decides.

import { randomUUID } from 'node:crypto';
import {
  AuthenticationHandler,
  AuthenticationHandlerOptions,
  AuthenticationProvider,
  Client,
  ResponseType,
} from '@microsoft/microsoft-graph-client';
import { decodeJwt } from '../auth/jwt';
import { BadInputError, DomainError, GraphEvidence, InvalidStateError, NotPermittedError } from '../domain/errors';
import { AccessTokenSource, GraphPort, StateRead } from '../domain/governance';
import {
  CATALOG,
  GraphVersion,
  HttpMethod,
  OperationName,
  OperationSpec,
  SelfReadSpec,
  Target,
  fillPath,
  isGuid,
  stateIn,
} from '../domain/operations';
import { holds } from '../domain/rights';
import { DEFAULT_RETRY_AFTER_SECONDS, evidenceOf, noAnswerError, mapGraphError } from './graphErrors';
import { ThrottleRetry } from './throttleRetry';

import { CallState, FetchLike, FetchStep } from './fetchStep';

export type { FetchLike } from './fetchStep';

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

/** The method and Graph version of one request, as the catalog entry names them. */
interface GraphRequestLine {
  readonly method: HttpMethod;
  readonly version: GraphVersion;
  /** OData query options ($filter, $expand), unencoded. */
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
}

/** https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations */
const INCLUDE_UNKNOWN_ENUM_MEMBERS = { Prefer: 'include-unknown-enum-members' } as const;

/** The delegated permissions of a Graph access token (its `scp`), or null when it cannot be read. */
export function scopesOf(accessToken: string): string[] | null {
  try {
    const scp = decodeJwt(accessToken).claims.scp;
    return typeof scp === 'string' ? scp.split(' ').filter((s) => s !== '') : null;
  } catch {
    return null;
  }
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
    const path = this.pathFor(spec.path, spec.idFromRead ? await this.withIdFromRead(target, token) : target);
    const body = spec.body(target);
    const answer = await this.call(spec, token, { method: spec.method, version: spec.version }, path, body);
    return evidenceOf({ status: answer.status, headers: answer.headers, bodyText: answer.bodyText });
  }

  /**
   * The item's state, read as the user is entitled to. The admin read when the token holds its
   * permission (or cannot be decoded); when Graph refuses it, or without that permission, the
   * self-service read where the entry has one. An item that is not the user's own then fails as
   * NotPermittedError (never NotFoundError: it may exist, and the write must still be tried).
   */
  async readState(target: Target, token: AccessTokenSource): Promise<StateRead> {
    const spec = CATALOG[target.operation];
    const accessToken = await token();
    const self = spec.selfService?.read;
    const scopes = scopesOf(accessToken);
    const mayReadAll =
      scopes === null || holds(scopes, { least: spec.read.permission, higher: spec.read.higher ?? [] });
    if (self && !mayReadAll) return this.ownOrRefuse(spec, self, target, accessToken);
    try {
      return await this.readById(spec, target, accessToken);
    } catch (e) {
      if (self && e instanceof NotPermittedError) return this.ownOrRefuse(spec, self, target, accessToken);
      throw e;
    }
  }

  /**
   * The self-service read alone: the item when it is the user's own, null when it is not (or does
   * not exist); undefined when the entry has no self-service read.
   */
  async readOwn(target: Target, token: AccessTokenSource): Promise<StateRead | null | undefined> {
    const spec = CATALOG[target.operation];
    const self = spec.selfService?.read;
    return self ? this.readMine(spec, self, target, await token()) : undefined;
  }

  private async ownOrRefuse(spec: OperationSpec, self: SelfReadSpec, target: Target, accessToken: string) {
    const own = await this.readMine(spec, self, target, accessToken);
    if (own) return own;
    throw new NotPermittedError(`The ${spec.noun} is not among yours, and reading it needs ${spec.read.permission}.`);
  }

  /** GET by id (the admin read). */
  private async readById(spec: OperationSpec, target: Target, accessToken: string): Promise<StateRead> {
    const read = spec.read;
    const request: GraphRequestLine = {
      method: 'GET',
      version: read.version,
      ...(read.expand?.length ? { query: { $expand: read.expand.join(',') } } : {}),
      ...(read.includeUnknownEnumMembers ? { headers: INCLUDE_UNKNOWN_ENUM_MEMBERS } : {}),
    };
    const answer = await this.call(spec, accessToken, request, this.pathFor(read.path, target), undefined);
    const item = objectOf(parseJson(answer.bodyText));
    return this.stateOf(spec, item, answer);
  }

  /** filterByCurrentUser with `$filter=id eq '{id}'`: the single element of `value`, if any. */
  private async readMine(
    spec: OperationSpec,
    self: SelfReadSpec,
    target: Target,
    accessToken: string,
  ): Promise<StateRead | null> {
    const id = this.pathFor(`{${self.idName}}`, target);
    const query: Record<string, string> = { $filter: `id eq '${id}'` };
    if (self.expand?.length) query.$expand = self.expand.join(',');
    const request: GraphRequestLine = { method: 'GET', version: self.version, query };
    const answer = await this.call(spec, accessToken, request, self.path, undefined);
    const value = objectOf(parseJson(answer.bodyText))?.value;
    const item = Array.isArray(value)
      ? value.map(objectOf).find((v) => typeof v?.id === 'string' && v.id.toLowerCase() === id)
      : undefined;
    return item ? this.stateOf(spec, item, answer) : null;
  }

  private stateOf(spec: OperationSpec, raw: Record<string, unknown> | undefined, answer: Attempt): StateRead {
    // An entry may read its fields off a view of the item (an approval as its reader's stage).
    const item = raw && spec.read.view ? { ...spec.read.view(raw) } : raw;
    const v = item?.[spec.read.stateField];
    const state = typeof v === 'string' ? v : null;
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
  ): Promise<Map<string, { status: number; body: unknown; headers: Record<string, string> }>> {
    if (requests.length > 20) throw new BadInputError('A JSON batch holds at most 20 requests.');
    const body = { requests: requests.map((r) => ({ id: r.id, method: 'GET', url: r.url })) };
    const answer = await this.call(CATALOG[operation], token, { method: 'POST', version }, '/$batch', body);
    const parsed = JSON.parse(answer.bodyText ?? '{}') as {
      responses?: Array<{ id?: unknown; status?: unknown; body?: unknown; headers?: unknown }>;
    };
    const out = new Map<string, { status: number; body: unknown; headers: Record<string, string> }>();
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
    token: AccessTokenSource | string,
    request: GraphRequestLine,
    path: string,
    body: unknown,
  ): Promise<Attempt> {
    // Resolve the token first: a missing sign-in is the user's to fix, not a Graph failure.
    const accessToken = typeof token === 'string' ? token : await token();
    const answer = await this.once(new CallToken(accessToken), request, path, body, randomUUID());
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw mapGraphError(spec.name, answer, this.now(), scopesOf(accessToken));
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
    { method, version, query, headers }: GraphRequestLine,
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
    if (headers) request.headers(headers);
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
      throw noAnswerError(state.timedOut ? 'timeout' : 'network');
    }
    const text = response.status === 204 ? null : await response.text();
    return { status: response.status, headers: response.headers, bodyText: text === '' ? null : text };
  }
}

function parseJson(text: string | null): unknown {
  try {
    return JSON.parse(text ?? '{}') as unknown;
  } catch {
    return undefined;
  }
}

function objectOf(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
