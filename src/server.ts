// HTTP surface: restify with /api/messages (Bot Framework activities), /healthz and /readyz. The
// route drives CloudAdapter.processActivity itself instead of adapter.process so that every bad
// token is a 401 (stock process() answers 500 for a forged signature), a malformed activity is a
// 400 before botbuilder sees it (authentication first, then the envelope), and no error text,
// which may quote request details, is echoed to the caller. (botbuilder writes a public key or a
// stack to stderr for a token refused once its key is found: the adapter refuses those first,
// src/bot/forgedTokens.ts; no token appears in them.)
// The adapter itself is src/bot/adapter.ts (its strict authentication and connector deadlines:
// src/bot/strictAuthentication.ts, src/bot/deadlineConnectors.ts).

import type { IncomingMessage, Server as NodeHttpServer, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import * as restify from 'restify';
import { Activity, ActivityHandlerBase } from 'botbuilder';
import { AuthenticateRequestResult, AuthenticationError } from 'botframework-connector';
import type { Logger } from 'pino';
import { GovernanceAdapter } from './bot/adapter';
import { envelopeProblem } from './http/activityEnvelope';
import { readJsonBody } from './http/readJsonBody';
import { listenError } from './portTaken';

export interface HttpServer {
  readonly server: restify.Server;
  readonly url: string;
  close(): Promise<void>;
}

/** What /readyz asks; the state port fits it. */
export interface Readiness {
  /** Throws when the bot cannot work: the state store is unreachable or read-only, or Entra's token
   * service cannot be reached. */
  check(): Promise<void>;
  /** How many problems the state store met and noted (records set aside as unreadable, a damaged
   * database or write-ahead log, a copy it could not make): reported, never fatal. */
  quarantined(): number;
}

export interface ServerOptions {
  readonly readiness?: Readiness;
  /** Deadline of one readiness check (default 5 s). */
  readonly readinessTimeoutMs?: number;
  /** How long an activity's body may take to arrive once its headers have (default 30 s). */
  readonly bodyTimeoutMs?: number;
}

const MAX_BODY_BYTES = 256 * 1024;
const MAX_PATH_PARAM_CHARS = 3 * 128;

export function createServer(
  adapter: GovernanceAdapter,
  bot: ActivityHandlerBase,
  logger: Logger,
  options: ServerOptions = {},
): restify.Server {
  const server = restify.createServer({
    name: 'governance-bot',
    handleUncaughtExceptions: false,
    // The router answers 404 to a path parameter longer than this (100 by default) before any
    // route runs: an event id may be 128 characters (events.ts), each of which a client may send
    // percent-encoded (":" as "%3A").
    maxParamLength: MAX_PATH_PARAM_CHARS,
  });
  // No global body parser: each POST route reads its own body, with its own limit.

  // Every answer, the JSON ones and restify's own 404 and 405 included, tells browsers not to
  // guess a type other than the one it declares (the sign-in pages set it too).
  // https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/X-Content-Type-Options
  server.pre((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });

  // HEAD is answered as GET, without content (Node sends none for a HEAD): RFC 9110 §9.3.2, and
  // Azure Front Door probes with HEAD by default (https://learn.microsoft.com/azure/frontdoor/health-probes).
  const probe = (path: string, handler: restify.RequestHandler) => {
    server.get(path, handler);
    server.head(path, handler);
  };

  probe('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  probe('/readyz', async (_req, res) => {
    const problem = await notReady(options);
    if (problem === null) {
      res.send(200, { status: 'ready', quarantined: options.readiness?.quarantined() ?? 0 });
      return;
    }
    logger.warn({ event: 'http.notReady', err: problem }, 'not ready');
    res.send(503, {
      status: 'unavailable',
      error: 'The bot is not ready: its state store or Microsoft Entra ID cannot be reached right now.',
    });
  });

  server.post('/api/messages', async (req, res) => {
    const body = await readJsonBody(req, MAX_BODY_BYTES, options.bodyTimeoutMs);
    if (body.kind === 'aborted') return;
    if (body.kind === 'timeout') {
      // The rest of the body is not read: close the connection after answering.
      res.setHeader('connection', 'close');
      res.send(408, { error: 'The activity did not arrive in time; send it again.' });
      return;
    }
    if (body.kind === 'tooLarge') {
      res.setHeader('connection', 'close');
      res.send(413, { error: `An activity may be at most ${MAX_BODY_BYTES} bytes.` });
      return;
    }
    if (body.kind !== 'json') {
      res.send(body.kind === 'unsupported' ? 415 : 400, { error: body.problem });
      return;
    }
    const value = body.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      res.send(400, { error: 'The body must be a Bot Framework activity (a JSON object).' });
      return;
    }
    const envelope = value as Record<string, unknown>;
    const activity = value as Activity;
    const header = req.headers.authorization;
    const authHeader = typeof header === 'string' ? header : '';
    let auth: AuthenticateRequestResult;
    try {
      auth = await adapter.authenticate(authHeader, activity);
    } catch (e) {
      if (isAuthFailure(e)) {
        logger.warn({ event: 'http.unauthorized', reason: (e as Error).message }, 'inbound activity rejected');
        // A valid token for an activity the bot may not take (another tenant's) is a 403.
        const forbidden = (e as AuthenticationError).statusCode === 403;
        res.send(forbidden ? 403 : 401, { error: forbidden ? 'Forbidden.' : 'Unauthorized.' });
        return;
      }
      // A malformed envelope can trip the authenticator itself; say what is wrong with it.
      const problem = envelopeProblem(envelope);
      if (problem !== null) {
        res.send(400, { error: problem });
        return;
      }
      logger.error({ err: e, event: 'http.failed' }, 'activity authentication failed');
      res.send(500, { error: 'The bot could not process the activity.' });
      return;
    }
    const problem = envelopeProblem(envelope);
    if (problem !== null) {
      logger.warn({ event: 'http.badActivity', reason: problem }, 'inbound activity refused');
      res.send(400, { error: problem });
      return;
    }
    try {
      const invokeResponse = await adapter.handleAuthenticated(auth, activity, (ctx) => bot.run(ctx));
      res.status(invokeResponse?.status ?? 200);
      if (invokeResponse?.body !== undefined) res.send(invokeResponse.body);
      res.end();
    } catch (e) {
      logger.error({ err: e, event: 'http.failed' }, 'activity processing failed');
      res.send(500, { error: 'The bot could not process the activity.' });
    }
  });
  return server;
}

function isAuthFailure(e: unknown): boolean {
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  return e instanceof AuthenticationError && !(typeof status === 'number' && status >= 500);
}

/** Null when ready; otherwise why not (for the log only). */
async function notReady(options: ServerOptions): Promise<unknown> {
  const readiness = options.readiness;
  if (!readiness) return null;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Error>((resolve) => {
    timer = setTimeout(
      () => resolve(new Error('the readiness check did not finish in time')),
      options.readinessTimeoutMs ?? 5_000,
    );
  });
  try {
    return await Promise.race([
      readiness.check().then(
        () => null,
        (e: unknown) => e ?? new Error('not ready'),
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Idle keep-alive connections stay open this long: longer than the 60 s idle timeout common to
 * load balancers and reverse proxies, so the server is never the side that closes a connection
 * the client is about to reuse (Node's 5 s default made ~2% of clicks fail with 'other side
 * closed' in the bench: the client sent on a connection the server had just closed). */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** A request must have arrived whole this long after its first byte, or Node answers 408 and
 * closes its connection: Node's 300 s default let a client trickle a body (to a path that never
 * reads it, or slower than the routes' own 30 s body deadline allows) for five minutes per
 * connection. Not less than the headers timeout: Node takes the smaller of the two as the headers
 * timeout and the larger as the request timeout. It checks every 30 s, so such a request is cut
 * within 100 s. Connections idle between requests, or not used yet, are not timed by it.
 * https://nodejs.org/docs/latest-v20.x/api/http.html#serverrequesttimeout */
const REQUEST_TIMEOUT_MS = KEEP_ALIVE_TIMEOUT_MS + 5_000;

export async function listen(server: restify.Server, port: number, host?: string): Promise<HttpServer> {
  const http = server.server;
  http.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node requires the headers timeout to exceed the keep-alive timeout, or a reused connection
  // can be cut while its next request's headers are arriving.
  http.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  http.requestTimeout = REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: unknown) => reject(listenError(e, port)));
    if (host) server.listen(port, host, () => resolve());
    else server.listen(port, () => resolve());
  });
  const address = server.address();
  const closing = answersWhileClosing(http);
  return {
    server,
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        closing.begin();
        // Node's close() also ends every connection its parser deems idle, and that includes one
        // whose answer has been ended but is not yet handed over (a slow client reading a large
        // answer): the answer was cut. begin() has ended the idle ones already, and ends such a
        // one once its answer is handed over.
        const closeIdle = http.closeIdleConnections;
        http.closeIdleConnections = () => undefined;
        try {
          server.close(() => resolve());
        } finally {
          http.closeIdleConnections = closeIdle;
        }
      }),
  };
}

/** Once `begin()` is called, every answer not yet sent says `Connection: close`, and the
 * connections with no request under way are ended. Node's close() ends idle connections at once
 * but waits for a busy one to end, and a kept-alive connection does not end after its answer:
 * close() waited out the keep-alive timeout (over a minute, so the shutdown's whole drain), and
 * the client could send new requests on it meanwhile. With the header, the connection ends with
 * its answer and close() resolves when the last request under way has been answered
 * (https://www.rfc-editor.org/rfc/rfc9112#name-tear-down). Node does not count as idle a
 * connection not used yet (a proxy's or a pool's, opened ahead) or one whose request has only
 * partly arrived, and once closing it no longer enforces the headers timeout: either held close()
 * until the shutdown's drain deadline. Nothing of their requests has been read, so they are ended. */
function answersWhileClosing(http: NodeHttpServer): { begin(): void } {
  const open = new Map<ServerResponse, Socket>();
  const connections = new Set<Socket>();
  let closing = false;
  const lastAnswer = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  const accepted = (socket: Socket): void => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  };
  http.on('connection', accepted);
  // Before restify's own listeners, so a request that comes on a kept-alive connection after
  // close() began is marked before any route can answer it. A request with `Expect: 100-continue`
  // comes as 'checkContinue' instead of 'request' (https://nodejs.org/api/http.html#event-checkcontinue).
  const busy = (socket: Socket): boolean => [...open.values()].includes(socket);
  const underWay = (req: IncomingMessage, res: ServerResponse): void => {
    if (closing) lastAnswer(res);
    const socket = req.socket;
    open.set(res, socket);
    const answered = (): void => {
      if (!open.delete(res)) return;
      // An answer whose headers left before closing began (a slow client still reading a large
      // one, or one written in parts) said keep-alive: its connection would stay open after it
      // and hold close() until the drain's deadline. Ended as Node ends a last answer's: once
      // what was written has been handed over ('finish').
      if (closing && !busy(socket)) socket.destroySoon();
    };
    res.once('finish', answered);
    res.once('close', answered);
  };
  http.prependListener('request', underWay);
  http.prependListener('checkContinue', underWay);
  // Once closed, none of its connections is left: a later listen() on the same server starts
  // afresh, and its answers are not told to end their connections because this one closed.
  http.once('close', () => {
    http.off('connection', accepted);
    http.off('request', underWay);
    http.off('checkContinue', underWay);
  });
  return {
    begin: () => {
      closing = true;
      for (const res of open.keys()) lastAnswer(res);
      for (const socket of connections) if (!busy(socket)) socket.destroy();
    },
  };
}
