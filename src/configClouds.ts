// The per-cloud tables of contract §2: where Entra sign-in and Microsoft Graph live in each
// national cloud, and which Bot Framework endpoints a sovereign cloud (US Government, China)
// cannot start without.

import { httpsHost, httpsRoot, quotedUrl } from './configValues';
import { Cloud } from './domain/operations';

export const CLOUD_ENDPOINTS: Readonly<Record<Cloud, { readonly authority: string; readonly graph: string }>> = {
  global: { authority: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com' },
  usgov: { authority: 'https://login.microsoftonline.us', graph: 'https://graph.microsoft.us' },
  usgovdod: { authority: 'https://login.microsoftonline.us', graph: 'https://dod-graph.microsoft.us' },
  china: { authority: 'https://login.chinacloudapi.cn', graph: 'https://microsoftgraph.chinacloudapi.cn' },
};

/**
 * Where a person whose password expired (AADSTS50055, 50144) changes it, in each cloud: Microsoft
 * Entra self-service password reset, https://aka.ms/sspr, in the global service
 * (https://learn.microsoft.com/entra/identity/authentication/concept-sspr-howitworks); in Azure
 * Government its passwordreset.microsoftonline.com is passwordreset.microsoftonline.us
 * (https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure,
 * "Guidance for developers"). For Azure operated by 21Vianet no page is documented: null, and the
 * words say to change it as the organization tells.
 */
export const PASSWORD_RESET_PAGES: Readonly<Record<Cloud, string | null>> = {
  global: 'https://aka.ms/sspr',
  usgov: 'https://passwordreset.microsoftonline.us',
  usgovdod: 'https://passwordreset.microsoftonline.us',
  china: null,
};

/**
 * Where the exchange signs in and Graph is called: the cloud's defaults, or the values given (each
 * refused into `problems` when it is not one, naming what to give instead).
 */
export function cloudEndpoints(
  cloud: Cloud,
  authorityRaw: string | undefined,
  graphRaw: string | undefined,
  problems: string[],
): { authorityHost: string; graphEndpoint: string } {
  let authorityHost = CLOUD_ENDPOINTS[cloud].authority;
  if (authorityRaw !== undefined) {
    const r = httpsHost(authorityRaw);
    if (!r) {
      problems.push(
        `AAD_APP_OAUTH_AUTHORITY_HOST must be an https host with no path or query, such as https://login.microsoftonline.com ${quotedUrl(authorityRaw)}.`,
      );
    } else authorityHost = r;
  }
  let graphEndpoint = CLOUD_ENDPOINTS[cloud].graph;
  if (graphRaw !== undefined) {
    const r = httpsRoot(graphRaw);
    if (!r)
      problems.push(`GRAPH_ENDPOINT must be an https URL with no query, user name or password ${quotedUrl(graphRaw)}.`);
    else if (/\/(v1\.0|beta)$/i.test(r)) {
      // The bot adds the version to every call (/v1.0/… or /beta/…): with it here too, every call would 404.
      problems.push(`GRAPH_ENDPOINT is Microsoft Graph's root, without /v1.0 or /beta ${quotedUrl(graphRaw)}.`);
    } else graphEndpoint = r;
  }
  return { authorityHost, graphEndpoint };
}

/**
 * Bot Framework endpoints of the US Government clouds, from "Configure Bot Framework bots for US
 * Government customers" (https://learn.microsoft.com/azure/bot-service/how-to-deploy-gov-cloud-high).
 * Teams in GCC High and DoD reaches bots only through the Azure Government Bot Service
 * (https://learn.microsoft.com/microsoftteams/platform/bots/what-are-bots): with botbuilder's
 * public-cloud defaults every inbound token would be refused, so a government cloud without
 * these settings is refused at start instead of failing on the first message.
 */
export const GOVERNMENT_BOT_ENDPOINTS: Readonly<Partial<Record<Cloud, Readonly<Record<string, string>>>>> = {
  usgov: {
    ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.us',
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
    ToChannelFromBotOAuthScope: 'https://api.botframework.us',
    OAuthUrl: 'https://tokengcch.botframework.azure.us/',
  },
  usgovdod: {
    ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.us',
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
    ToChannelFromBotOAuthScope: 'https://api.botframework.us',
    OAuthUrl: 'https://apiDoD.botframework.azure.us',
  },
};

/**
 * Bot Framework endpoints of Azure operated by 21Vianet, from "Configure a bot in Microsoft Azure
 * operated by 21Vianet" (https://learn.microsoft.com/azure/bot-service/how-to-deploy-china-cloud):
 * its Bot Service issues the channel tokens there, so botbuilder's public-cloud defaults would
 * refuse every inbound token. The bot signs in at its own tenant (SingleTenant, UserAssignedMSI)
 * or at Microsoft's services tenant (MultiTenant).
 */
export function chinaBotEndpoints(appType: string, appTenantId: string): Readonly<Record<string, string>> {
  const loginTenant = appType === 'MultiTenant' ? 'microsoftservices.partner.onmschina.cn' : appTenantId;
  return {
    ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.azure.cn/v1/.well-known/openidconfiguration',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.azure.cn',
    ToChannelFromBotLoginUrl: `https://login.partner.microsoftonline.cn/${loginTenant || '<MicrosoftAppTenantId>'}`,
    ToChannelFromBotOAuthScope: 'https://api.botframework.azure.cn',
    OAuthUrl: 'https://token.botframework.azure.cn/',
  };
}

/**
 * The configuration problem when `cloud` is a sovereign cloud (US Government, China) and some of
 * its Bot Framework endpoints were not set, or the public cloud's with some endpoint settings but
 * not its channel token issuer and keys, or its keys but no login URL for a secret's token (null
 * otherwise): it names each missing setting with its
 * value for this bot (`app`: its MicrosoftAppType and MicrosoftAppTenantId).
 */
export function sovereignEndpointsProblem(
  cloud: Cloud,
  endpoints: Readonly<Record<string, string>>,
  app: { readonly appType: string; readonly appTenantId: string },
): string | null {
  const wanted = cloud === 'china' ? chinaBotEndpoints(app.appType, app.appTenantId) : GOVERNMENT_BOT_ENDPOINTS[cloud];
  if (!wanted) return partialPublicEndpointsProblem(endpoints) ?? publicSignInProblem(endpoints, app.appType);
  const missing = Object.keys(wanted).filter((key) => endpoints[key] === undefined);
  if (missing.length === 0) return null;
  const service = cloud === 'china' ? 'Azure operated by 21Vianet' : 'Azure Government';
  return `CLOUD=${cloud} needs the ${service} Bot Framework endpoints; set ${missing
    .map((key) => `${key}=${wanted[key]}`)
    .join(', ')} (see the sovereign cloud note in README.md).`;
}

/**
 * The public cloud's channel token issuer and signing keys (botframework-connector's
 * AuthenticationConstants). Setting any endpoint setting makes botbuilder use only those given,
 * with no default for the rest: without these two it could verify no message from Teams.
 */
export const PUBLIC_INBOUND_ENDPOINTS: Readonly<Record<string, string>> = {
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
};

function partialPublicEndpointsProblem(endpoints: Readonly<Record<string, string>>): string | null {
  // ValidateAuthority alone leaves botbuilder on its defaults (it is not one of the endpoints).
  const given = Object.keys(endpoints).filter((key) => key !== 'ValidateAuthority');
  const missing = Object.keys(PUBLIC_INBOUND_ENDPOINTS).filter((key) => endpoints[key] === undefined);
  if (given.length === 0 || missing.length === 0) return null;
  // A set naming the Emulator's signing keys verifies Emulator-issued tokens with them: a chosen
  // inbound set (a test signing its own tokens), which contract §2 passes through unchanged.
  if (endpoints.ToBotFromEmulatorOpenIdMetadataUrl !== undefined) return null;
  return `${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set: botbuilder then uses only the endpoint settings given and could verify no message from Teams; set ${missing
    .map((key) => `${key}=${PUBLIC_INBOUND_ENDPOINTS[key]}`)
    .join(', ')} too (the public cloud's), or none of them.`;
}

/**
 * Microsoft's public channel keys without a login URL for the bot's own token: botbuilder then
 * builds a secret's credentials with no authority, MSAL refuses every token request, and no reply
 * or notification could be sent (a managed identity's token comes from the platform instead).
 * So are Entra's keys for the Emulator without channel keys. Keys served elsewhere (a test signing
 * the channel's or the Emulator's tokens itself) are a chosen set.
 */
function publicSignInProblem(endpoints: Readonly<Record<string, string>>, appType: string): string | null {
  if (appType === 'UserAssignedMSI' || endpoints.ToChannelFromBotLoginUrl !== undefined) return null;
  const keys = endpoints.ToBotFromChannelOpenIdMetadataUrl;
  // Entra's keys for the Emulator with no channel keys of a test's own: the same missing
  // authority, so not even a message the Emulator signed could be answered. Emulator keys a test
  // serves itself are a chosen set, as its own channel keys are.
  const emulatorKeys = endpoints.ToBotFromEmulatorOpenIdMetadataUrl;
  if (keys === undefined && emulatorKeys !== undefined && ENTRA_KEYS_HOST.test(emulatorKeys)) {
    return `ToBotFromEmulatorOpenIdMetadataUrl is set but ToChannelFromBotLoginUrl is not: botbuilder then uses only the endpoint settings given and the bot could get no token to reply with (MicrosoftAppType ${appType} signs in with its secret); set ToChannelFromBotLoginUrl=${PUBLIC_BOT_LOGIN_URL} too (the public cloud's), or none of the endpoint settings.`;
  }
  if (keys === undefined || !/^https?:\/\/login\.botframework\.com(?:[:/]|$)/i.test(keys)) return null;
  return `ToBotFromChannelOpenIdMetadataUrl names the public cloud's Bot Framework keys but ToChannelFromBotLoginUrl is not set: botbuilder then uses only the endpoint settings given and the bot could get no token to reply with (MicrosoftAppType ${appType} signs in with its secret); set ToChannelFromBotLoginUrl=${PUBLIC_BOT_LOGIN_URL} too (the public cloud's), or none of the endpoint settings.`;
}

/** Entra's own sign-in hosts, whose keys botbuilder's Emulator settings name
 * (AuthenticationConstants, GovernmentConstants): https://learn.microsoft.com/graph/deployments. */
const ENTRA_KEYS_HOST =
  /^https?:\/\/(?:login\.microsoftonline\.(?:com|us)|login\.microsoft\.com|login\.windows\.net|sts\.windows\.net|login\.chinacloudapi\.cn|login\.partner\.microsoftonline\.cn)(?:[:/]|$)/i;

/** botbuilder's public-cloud login URL for the bot's own token (AuthenticationConstants); with it,
 * a SingleTenant bot still signs in at MicrosoftAppTenantId. */
const PUBLIC_BOT_LOGIN_URL = 'https://login.microsoftonline.com/botframework.com';
