// HTTP surface: restify with /api/messages (Bot Framework activities) and /healthz. The route
// drives CloudAdapter.processActivity itself instead of adapter.process so that every bad token is
// a 401 (stock process() answers 500 for a forged signature) and no error text, which may quote
// request details, is echoed to the caller. (botbuilder still writes its own diagnostics, public
// keys and stack traces, to stderr; no token appears in them.)

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
import { AuthenticateRequestResult, AuthenticationError } from 'botframework-connector';
import type { Logger } from 'pino';
import { Config } from './config';

/** A bad token is an authentication error (401), whichever library noticed it. */
class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
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
  }
}

/** CloudAdapter with its activity entry point public, so the route owns the HTTP answer. */
export class GovernanceAdapter extends CloudAdapter {
  handleActivity(
    authHeader: string,
    activity: Activity,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function createAdapter(config: Config, logger: Logger): GovernanceAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    ...config.bot.endpoints,
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    // With no app id inbound auth is off (sandbox only); botbuilder then needs no tenant-bound type.
    MicrosoftAppType: config.bot.appId === '' ? 'MultiTenant' : config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
  const adapter = new GovernanceAdapter(new StrictBotFrameworkAuthentication(options));
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

const MAX_BODY_BYTES = 256 * 1024;

export function createServer(adapter: GovernanceAdapter, bot: ActivityHandlerBase, logger: Logger): restify.Server {
  const server = restify.createServer({ name: 'governance-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  server.post('/api/messages', async (req, res) => {
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      res.send(400, { error: 'The body must be a Bot Framework activity (a JSON object).' });
      return;
    }
    const activity = body as Activity;
    if (typeof activity.type !== 'string' || activity.type === '') {
      res.send(400, { error: 'The activity has no type.' });
      return;
    }
    const header = req.headers.authorization;
    const authHeader = typeof header === 'string' ? header : '';
    try {
      const invokeResponse = await adapter.handleActivity(authHeader, activity, (ctx) => bot.run(ctx));
      res.status(invokeResponse?.status ?? 200);
      if (invokeResponse?.body !== undefined) res.send(invokeResponse.body);
      res.end();
    } catch (e) {
      const status = (e as { statusCode?: unknown }).statusCode;
      if (e instanceof AuthenticationError && !(typeof status === 'number' && status >= 500)) {
        logger.warn({ event: 'http.unauthorized', reason: e.message }, 'inbound activity rejected');
        res.send(401, { error: 'Unauthorized.' });
        return;
      }
      logger.error({ err: e, event: 'http.failed' }, 'activity processing failed');
      res.send(500, { error: 'The bot could not process the activity.' });
    }
  });
  return server;
}

export async function listen(server: restify.Server, port: number, host?: string): Promise<HttpServer> {
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
