// The HTTP routes beside /api/messages: the sign-in fallback pages and the notification intake.
// Apart from app.ts, which builds the parts they serve.

import type { Logger } from 'pino';
import { catalogScopes } from './auth/catalogScopes';
import { mountSignInPages } from './auth/signInPages';
import type { SignInFlow } from './auth/sso';
import type { SignInStates } from './state/signInStates';
import type { PendingCommand } from './bot/commandTurns';
import type { Config, SsoApp } from './config';
import { PASSWORD_RESET_PAGES } from './configClouds';
import { IntakeAuthenticator } from './notifications/intakeAuth';
import { mountNotifications } from './notifications/routes';
import type { NotificationStore } from './notifications/store';
import type { DeliveryWorker } from './notifications/worker';
import type { createAlerts } from './notifications/alertsSetup';
import type { createServer } from './server';

export interface RouteParts {
  readonly config: Config;
  /** The configured SSO app (config.sso, checked by the caller). */
  readonly sso: SsoApp;
  readonly publicBaseUrl: string;
  readonly signIn: SignInFlow<PendingCommand>;
  readonly signInStates: SignInStates;
  readonly notifications: NotificationStore;
  readonly deliverer: DeliveryWorker;
  readonly alerts: Pick<ReturnType<typeof createAlerts>, 'channels'>;
  readonly logger: Logger;
}

export function mountRoutes(server: ReturnType<typeof createServer>, parts: RouteParts): void {
  const { config, publicBaseUrl, signIn, signInStates, logger, sso: ssoApp } = parts;
  const appId = config.bot.appId;
  // The sign-in fallback pages: the OAuth card's Sign in button opens them when SSO cannot succeed.
  mountSignInPages(server, {
    publicBaseUrl,
    authorityHost: config.authorityHost,
    sso: ssoApp,
    scopes: catalogScopes(config.graphEndpoint),
    states: signInStates,
    findPending: (pendingId) => signIn.pendingView(pendingId),
    onSignedIn: (...signedIn) => signIn.signedIn(...signedIn),
    logger,
    passwordResetPage: PASSWORD_RESET_PAGES[config.cloud],
  });
  // The audiences a sender may ask a token for: the SSO app's client id and its two URIs.
  mountNotifications(server, {
    auth: new IntakeAuthenticator({
      authorityHost: config.authorityHost,
      tenantId: ssoApp.tenantId,
      audiences: [ssoApp.clientId, `api://${ssoApp.clientId}`, ...(appId ? [`api://botid-${appId}`] : [])],
    }),
    store: parts.notifications,
    deliverer: parts.deliverer,
    logger,
    channels: parts.alerts.channels,
  });
}
