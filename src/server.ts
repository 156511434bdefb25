// HTTP surface: restify with /api/messages (Bot Framework activities), /healthz and /readyz. The
// route drives CloudAdapter.processActivity itself instead of adapter.process so that every bad
// token is a 401 (stock process() answers 500 for a forged signature), a malformed activity is a
// 400 before botbuilder sees it (authentication first, then the envelope), and no error text,
// which may quote request details, is echoed to the caller. (botbuilder still writes its own
// diagnostics, public keys and stack traces, to stderr; no token appears in them.)
// Every call to the Bot Connector (replies, updates, proactive sends, typing) has a deadline.

import * as restify from 'restify';
import {
  Activity,
  ActivityHandlerBase,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
  InvokeResponse,
  StatusCodes,
  TurnContext,
} from 'botbuilder';
import {
  AuthenticateRequestResult,
  AuthenticationError,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
} from 'botframework-connector';
import type { Logger } from 'pino';
import { CachedCredentialsFactory } from './bot/connectorCredentials';
import { Config } from './config';
import { envelopeProblem, isAnswerableServiceUrl } from './http/activityEnvelope';
import { readJsonBody } from './http/readJsonBody';

/** How long one call to the Bot Connector may take, token acquisition included. */
export const CONNECTOR_DEADLINE_MS = 15_000;

/** A connector call that ran out of time; `code` lets callers tell it from an HTTP refusal. */
export class ConnectorTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`The Bot Connector did not answer within ${ms} ms.`);
    this.name = 'ConnectorTimeoutError';
  }
}

/**
 * Gives every operation of one ConnectorClient a deadline. The connector factory of
 * botframework-connector replaces any request policy passed in ConnectorClientOptions, so the
 * deadline goes on the one method every operation goes through (sendOperationRequest), as the
 * abort signal core-client honours. The race also ends a call whose transport ignores the signal.
 */
function withDeadline(client: ConnectorClient, ms: number): ConnectorClient {
  const send = client.sendOperationRequest.bind(client);
  client.sendOperationRequest = async (args, spec, callback) => {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new ConnectorTimeoutError(ms);
        controller.abort(error);
        reject(error);
      }, ms);
    });
    const given = args.options?.abortSignal as AbortSignal | undefined;
    const signal = given ? AbortSignal.any([given, controller.signal]) : controller.signal;
    try {
      return await Promise.race([
        send({ ...args, options: { ...args.options, abortSignal: signal } }, spec, callback),
        expired,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
  return client;
}

/** Connectors with a deadline, and only for a service URL the bot may answer (never a default host). */
class DeadlineConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly deadlineMs: number,
  ) {
    super();
  }

  async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    if (!isAnswerableServiceUrl(serviceUrl)) throw new Error('The conversation has no usable serviceUrl.');
    return withDeadline(await this.inner.create(serviceUrl, audience), this.deadlineMs);
  }
}

/** A bad token is an authentication error (401), whichever library noticed it. */
class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly connectorDeadlineMs: number,
  ) {
    // The bot's own credentials once per audience, not twice per turn (connectorCredentials.ts).
    super(options, CachedCredentialsFactory.fromConfiguration(options));
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    let result: AuthenticateRequestResult;
    try {
      result = await super.authenticateRequest(activity, authHeader);
    } catch (e) {
      // jsonwebtoken's own errors (a forged signature, a token not yet valid, a wrong algorithm)
      // reach here unwrapped and would be a 500: they are a bad token, so 401. A failure to
      // fetch the channel's keys stays a server fault, so the channel retries.
      const name = (e as { name?: unknown } | null)?.name;
      if (name === 'JsonWebTokenError' || name === 'NotBeforeError' || name === 'TokenExpiredError') {
        throw new AuthenticationError('Unauthorized. The token is not valid.', StatusCodes.UNAUTHORIZED);
      }
      throw e;
    }
    const factory = result.connectorFactory;
    return factory
      ? { ...result, connectorFactory: new DeadlineConnectorFactory(factory, this.connectorDeadlineMs) }
      : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new DeadlineConnectorFactory(super.createConnectorFactory(claimsIdentity), this.connectorDeadlineMs);
  }
}

/** CloudAdapter with authentication and the turn as separate public steps, so the route owns the HTTP answer. */
export class GovernanceAdapter extends CloudAdapter {
  authenticate(authHeader: string, activity: Activity): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  handleAuthenticated(
    auth: AuthenticateRequestResult,
    activity: Activity,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

export interface AdapterOptions {
  /** Per connector call; CONNECTOR_DEADLINE_MS by default. */
  readonly connectorDeadlineMs?: number;
}

export function createAdapter(config: Config, logger: Logger, options: AdapterOptions = {}): GovernanceAdapter {
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {
    ...config.bot.endpoints,
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    // With no app id inbound auth is off (sandbox only); botbuilder then needs no tenant-bound type.
    MicrosoftAppType: config.bot.appId === '' ? 'MultiTenant' : config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
  const adapter = new GovernanceAdapter(
    new StrictBotFrameworkAuthentication(auth, options.connectorDeadlineMs ?? CONNECTOR_DEADLINE_MS),
  );
  adapter.onTurnError = async (ctx: TurnContext, error: Error) => {
    logger.error({ err: error, event: 'bot.turn.failed', activityType: ctx.activity.type }, 'turn failed');
    if (ctx.activity.type === 'message') {
      await ctx.sendActivity({
        type: 'message',
        text: 'Something went wrong on my side. Nothing was changed. Try again in a minute.',
        summary: 'Something went wrong',
      });
    }
    // An invoke answered by no one would be a 501; say 500 plainly instead.
  };
  return adapter;
}

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
  /** Records set aside as unreadable: reported, never fatal. */
  quarantined(): readonly string[];
}

export interface ServerOptions {
  readonly readiness?: Readiness;
  /** Deadline of one readiness check (default 5 s). */
  readonly readinessTimeoutMs?: number;
}

const MAX_BODY_BYTES = 256 * 1024;

export function createServer(
  adapter: GovernanceAdapter,
  bot: ActivityHandlerBase,
  logger: Logger,
  options: ServerOptions = {},
): restify.Server {
  const server = restify.createServer({ name: 'governance-bot', handleUncaughtExceptions: false });
  // No global body parser: each POST route reads its own body, with its own limit.

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req, res) => {
    const problem = await notReady(options);
    if (problem === null) {
      res.send(200, { status: 'ready', quarantined: options.readiness?.quarantined().length ?? 0 });
      return;
    }
    logger.warn({ event: 'http.notReady', err: problem }, 'not ready');
    res.send(503, {
      status: 'unavailable',
      error: 'The bot is not ready: its state store or Microsoft Entra ID cannot be reached right now.',
    });
  });

  server.post('/api/messages', async (req, res) => {
    const body = await readJsonBody(req, MAX_BODY_BYTES);
    if (body.kind === 'aborted') return;
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
        res.send(401, { error: 'Unauthorized.' });
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
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function listen(server: restify.Server, port: number, host?: string): Promise<HttpServer> {
  const http = server.server;
  http.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node requires the headers timeout to exceed the keep-alive timeout, or a reused connection
  // can be cut while its next request's headers are arriving.
  http.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (host) server.listen(port, host, () => resolve());
    else server.listen(port, () => resolve());
  });
  const address = server.address();
  return {
    server,
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
