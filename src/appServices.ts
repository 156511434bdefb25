// The services every turn works with, built on the state store all instances share: the Graph
// gateway, the governance service and its audit, this instance's heartbeat, the sign-in flow and
// the card-action protocol. No Teams code: app.ts hands these to the bot and the routes.

import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { signInUrl } from './auth/signInPages';
import { SignOutMarks } from './auth/signOuts';
import { SignInFlow } from './auth/sso';
import { MsalOboExchanger } from './auth/oboExchanger';
import { UserTokenCache } from './auth/tokens';
import type { PendingCommand } from './bot/commandTurns';
import { signInSeenByTheUserOnly } from './bot/personalChat';
import type { Config, SsoApp } from './config';
import { PASSWORD_RESET_PAGES } from './configClouds';
import { CardActionService } from './domain/cardAction';
import { systemClock } from './domain/clock';
import { AuditLine, GovernanceService } from './domain/governance';
import { GraphGateway } from './graph/graphGateway';
import { auditTo } from './log';
import { CardBindings } from './state/cardBindings';
import { Claims } from './state/claims';
import { createState } from './state/createState';
import { Instances } from './state/instances';
import { PendingSignIns } from './state/signIns';
import { SignInStates } from './state/signInStates';

export interface ServiceParts {
  /** The configured SSO app (config.sso, checked by the caller). */
  readonly sso: SsoApp;
  readonly publicBaseUrl: string;
  /** Where Teams SSO has a stand-in (the sandbox), its source of SSO tokens; null otherwise. */
  readonly silent: ((aadObjectId: string) => Promise<string | null>) | null;
  /** Hears every audited attempt after it is logged. */
  readonly onAudit: (line: AuditLine) => void;
}

/**
 * The Application ID URI of the SSO app (AAD_APP_CLIENT_ID), which Teams names as the SSO
 * token's audience: scripts/register-sso-app.js sets api://botid-{BOT_ID} and the manifest's
 * webApplicationInfo.resource says the same; BOT_ID is the Azure Bot's app id, MicrosoftAppId.
 * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-register-aad
 */
export function ssoResourceUri(botAppId: string): string | null {
  return botAppId ? `api://botid-${botAppId}` : null;
}

export async function createServices(config: Config, logger: Logger, parts: ServiceParts) {
  const { publicBaseUrl } = parts;
  // Every Graph exchange logs its ids, Date and diagnostic (graph/best-practices-concept#reliability-and-support).
  const gateway = new GraphGateway({
    graphEndpoint: config.graphEndpoint,
    onExchange: (exchange) => logger.info({ event: 'graph.exchange', ...exchange }, 'Microsoft Graph exchange'),
  });
  // Claims, card bindings, pending sign-ins and seen turns live in the state every instance shares.
  const state = await createState(config.storage);
  // Everything the store sets aside is logged once, as it is met (what it met on opening now, a
  // record found unreadable by a later read then): /readyz gives only a count of it.
  // A storm of them (any number of unreadable records) is told at most 100 a minute, then as a count.
  state.watchProblems(
    ({ text, ...where }) => logger.warn({ event: 'state.quarantined', ...where }, text),
    (count, text) => logger.warn({ event: 'state.quarantinedUnlisted', count }, text),
  );
  // Times that go into the state or are compared with times in it (expiry, leases, heartbeats,
  // due times) are read from the state's clock: on Azure Storage the one all machines share.
  const now = state.now;
  const audit = auditTo(logger);
  const governance = new GovernanceService({
    cloud: config.cloud,
    graph: gateway,
    audit: (line) => {
      audit(line);
      parts.onAudit(line);
    },
    newId: randomUUID,
  });
  const instances = new Instances(state.records, { now });
  await instances.start((e) =>
    logger.warn({ err: e, event: 'state.heartbeat.failed' }, "could not write this instance's heartbeat"),
  );
  const signInStates = new SignInStates(state.records, { now });
  const pending = new PendingSignIns<PendingCommand>(state.records, { now });
  const signIn = new SignInFlow<PendingCommand>({
    exchanger: new MsalOboExchanger(parts.sso, {
      authorityHost: config.authorityHost,
      graphEndpoint: config.graphEndpoint,
    }),
    cache: new UserTokenCache(),
    pending,
    resourceUri: ssoResourceUri(config.bot.appId),
    passwordResetPage: PASSWORD_RESET_PAGES[config.cloud],
    // The sandbox stands in for Teams SSO (the Playground has none); Teams itself has no such source.
    silent: parts.silent,
    // The same URL the mounted pages serve (appRoutes.ts mounts them and checks the origin again).
    signInUrl: (pendingId, reason, claims) => signInUrl(publicBaseUrl, pendingId, reason, claims),
    states: signInStates,
    signOuts: new SignOutMarks(state.records),
    seenByTheUserOnly: signInSeenByTheUserOnly,
  });
  const cardActions = new CardActionService({
    governance,
    bindings: new CardBindings(state.records),
    claims: new Claims(state.records, { instance: instances.bootId, now }),
    liveness: instances,
    // It compares claims' lease times with its own: the same clock; waiting stays the system's.
    clock: { now, sleep: systemClock.sleep },
    onBackgroundError: (e) => logger.error({ err: e, event: 'card.background.failed' }, 'a late card write failed'),
  });
  return { gateway, state, now, governance, instances, signInStates, pending, signIn, cardActions };
}
