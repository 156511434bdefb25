// HTTP surface: restify with /api/messages (Bot Framework activities), /healthz and /readyz. The
// route drives CloudAdapter.processActivity itself instead of adapter.process so that every bad
// token is a 401 (stock process() answers 500 for a forged signature), a malformed activity is a
// 400 before botbuilder sees it (authentication first, then the envelope), and no error text,
// which may quote request details, is echoed to the caller. (botbuilder writes a public key or a
// stack to stderr for a token refused once its key is found: the adapter refuses those first,
// src/bot/forgedTokens.ts; no token appears in them.)
// The adapter itself is src/bot/adapter.ts (its strict authentication and connector deadlines:
// src/bot/strictAuthentication.ts, src/bot/deadlineConnectors.ts). How the server listens, keeps
// connections and closes is src/serverListen.ts.

import * as restify from 'restify';
import { Activity, ActivityHandlerBase } from 'botbuilder';
import { AuthenticateRequestResult, AuthenticationError } from 'botframework-connector';
import type { Logger } from 'pino';
import { GovernanceAdapter } from './bot/adapter';
import { envelopeProblem } from './http/activityEnvelope';
import { readJsonBody } from './http/readJsonBody';

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
