// The Bot Framework adapter: CloudAdapter with authentication and the turn as separate public
// steps (so the HTTP route owns the answer), strict inbound authentication and connectors with
// deadlines (strictAuthentication.ts, deadlineConnectors.ts), the channel's signing keys read
// within the authentication deadline (openIdMetadataReads.ts), and what a failed turn says (an
// invoke never answered 501).

import { randomUUID } from 'node:crypto';
import {
  Activity,
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthenticationOptions,
  INVOKE_RESPONSE_KEY,
  InvokeResponse,
  TurnContext,
} from 'botbuilder';
import { AuthenticateRequestResult } from 'botframework-connector';
import type { Logger } from 'pino';
import { Config } from '../config';
import { foreignCloudWarning } from '../configCloudHosts';
import { AUTHENTICATION_DEADLINE_MS, CONNECTOR_DEADLINE_MS } from './connectorDeadline';
import { boundSigningKeyReads } from './openIdMetadataReads';
import { servedTenantOf } from './servedTenant';
import { StrictBotFrameworkAuthentication, type Verified } from './strictAuthentication';
import { VerifiedTokens } from './verifiedTokens';
import { AnswerNotSentError, answerNotSentText } from './replies';
import { failedInvokeResponse, invokeFailedText } from './invokeResponses';

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
  /** Verifying one inbound token, the channel's signing keys read included; AUTHENTICATION_DEADLINE_MS by default. */
  readonly authenticationDeadlineMs?: number;
  /** The clock verified inbound tokens are kept by; the system clock by default. */
  readonly now?: () => number;
}

/** What a message turn that failed for an unknown reason says: it cannot know what was done. */
/** A message turn that failed inside the bot; it may have acted first, so the words never claim
 * that nothing changed. Its reference is the correlationId of the failure's one error line. */
const turnFailedText = (correlationId: string): string =>
  `Something went wrong on my side before I could answer. ${invokeFailedText(correlationId)}`;

export function createAdapter(config: Config, logger: Logger, options: AdapterOptions = {}): GovernanceAdapter {
  // The channel's signing keys read within the same deadline, and one read at a time (openIdMetadataReads.ts).
  boundSigningKeyReads(options.authenticationDeadlineMs ?? AUTHENTICATION_DEADLINE_MS);
  // A warning, not a refusal: botbuilder never reads CLOUD, and only the tenant's cloud can tell.
  const foreign = foreignCloudWarning(config);
  if (foreign)
    logger.warn({ event: 'config.cloud.mismatch', cloud: config.cloud, settings: foreign.settings }, foreign.text);
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {
    ...config.bot.endpoints,
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    // With no app id inbound auth is off (sandbox only); botbuilder then needs no tenant-bound type.
    MicrosoftAppType: config.bot.appId === '' ? 'MultiTenant' : config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
  const adapter = new GovernanceAdapter(
    new StrictBotFrameworkAuthentication(
      auth,
      options.connectorDeadlineMs ?? CONNECTOR_DEADLINE_MS,
      new VerifiedTokens<Verified>(options.now),
      servedTenantOf(config, logger),
      options.authenticationDeadlineMs ?? AUTHENTICATION_DEADLINE_MS,
    ),
  );
  adapter.onTurnError = async (ctx: TurnContext, error: Error) => {
    if (ctx.activity.type === ActivityTypes.Invoke && !ctx.turnState.get(INVOKE_RESPONSE_KEY)) {
      // The turn failed before any handler answered (a middleware, or the dispatch itself):
      // botbuilder would answer 501. Answer as a failed invoke does, with a reference in the log.
      const correlationId = randomUUID();
      logger.error(
        { err: error, event: 'bot.invoke.failed', invoke: String(ctx.activity.name ?? '').slice(0, 64), correlationId },
        'invoke failed',
      );
      const answer = failedInvokeResponse(ctx.activity.name, ctx.activity.value, correlationId);
      await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: answer });
      return;
    }
    const unsent = error instanceof AnswerNotSentError ? error.reply : null;
    const correlationId = randomUUID();
    logger.error(
      {
        err: error,
        event: unsent ? 'bot.answer.failed' : 'bot.turn.failed',
        activityType: ctx.activity.type,
        correlationId,
      },
      unsent ? 'the answer could not be sent' : 'turn failed',
    );
    // A refused answer is re-said on any turn that could send it: a message, or the continuation
    // that runs a command after sign-in (an event turn). Invokes answer for themselves.
    if (unsent ? ctx.activity.type !== 'invoke' : ctx.activity.type === 'message') {
      // The turn may have acted before it failed (a cancel made, then its answer refused): say
      // what the answer said when it is known, and never that nothing was changed.
      try {
        await ctx.sendActivity({
          type: 'message',
          text: unsent ? answerNotSentText(unsent) : turnFailedText(correlationId),
          // Plain: a summary can hold a title or a name from outside, never to show as Markdown.
          textFormat: 'plain',
          summary: unsent ? unsent.summary : 'Something went wrong',
        });
      } catch (e) {
        // Teams refused this too. The activity was received and handled; thrown, botbuilder would
        // answer the channel 500, and a redelivery could not help (a seen message is dropped).
        logger.error(
          { err: e, event: 'bot.turnError.replyFailed', correlationId },
          'the error reply could not be sent either',
        );
      }
    }
  };
  return adapter;
}
