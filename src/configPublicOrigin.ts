// The bot's public origin, where users' browsers open the sign-in pages (the fallback when Teams
// SSO needs consent or MFA): BOT_ENDPOINT when set. The outside contract's table does not list
// BOT_ENDPOINT, and a real tenant runs with what it lists (contract §1, §2): without it the pages
// are at App Service's default host (WEBSITE_HOSTNAME, set by the platform:
// https://learn.microsoft.com/en-us/azure/app-service/reference-app-settings#app-environment), or
// else at this machine's localhost only; the start log says which (index.ts).

import { configValue as value, type Env, publicOriginOf, quotedUrl } from './configValues';

export interface PublicOrigin {
  readonly publicBaseUrl: string | null;
  /** Where it came from when BOT_ENDPOINT was not set, else null. */
  readonly assumed: 'WEBSITE_HOSTNAME' | 'localhost' | null;
}

/** `endpointRaw`: BOT_ENDPOINT as read (undefined when not set, or in the sandbox, which uses its
 * own loopback URL); a malformed one is a problem. */
export function publicOrigin(
  env: Env,
  endpointRaw: string | undefined,
  production: boolean,
  port: number,
  problems: string[],
): PublicOrigin {
  if (endpointRaw !== undefined) {
    const publicBaseUrl = publicOriginOf(endpointRaw);
    if (!publicBaseUrl) {
      problems.push(
        `BOT_ENDPOINT must be the bot's public https origin, such as https://bot.contoso.com, with no path (http only on localhost) ${quotedUrl(endpointRaw)}.`,
      );
    }
    return { publicBaseUrl, assumed: null };
  }
  if (!production) return { publicBaseUrl: null, assumed: null };
  const site = value(env, 'WEBSITE_HOSTNAME');
  const fromSite = site !== undefined && /^[a-z0-9.-]+$/i.test(site) ? publicOriginOf(`https://${site}`) : null;
  return fromSite
    ? { publicBaseUrl: fromSite, assumed: 'WEBSITE_HOSTNAME' }
    : { publicBaseUrl: `http://localhost:${port}`, assumed: 'localhost' };
}
