// Which national cloud a Microsoft host belongs to, to warn at start when a setting names a host
// of another cloud than CLOUD (a warning, not a refusal: contract §2 refuses only malformed values
// or unusable combinations, and a host need not be Microsoft's). The hosts are Microsoft's own:
// Entra and Microsoft Graph, https://learn.microsoft.com/graph/deployments; the Bot Framework's,
// https://learn.microsoft.com/azure/bot-service/how-to-deploy-gov-cloud-high and
// https://learn.microsoft.com/azure/bot-service/how-to-deploy-china-cloud, and botbuilder's
// public-cloud AuthenticationConstants.

import type { Config } from './config';
import { CLOUD_ENDPOINTS } from './configClouds';
import type { Cloud } from './domain/operations';

/** Each cloud's Entra and Graph hosts, from the contract's own table of their defaults. */
function endpointHosts(): [string, Cloud[]][] {
  const byHost = new Map<string, Cloud[]>();
  for (const [cloud, e] of Object.entries(CLOUD_ENDPOINTS) as [Cloud, { authority: string; graph: string }][]) {
    for (const url of [e.authority, e.graph]) {
      const host = new URL(url).hostname;
      byHost.set(host, [...(byHost.get(host) ?? []), cloud]);
    }
  }
  return [...byHost];
}

/** A host (or any host under it, for a leading dot) and the clouds it serves. The exact hosts come
 * before the suffixes they would otherwise fall under. */
const CLOUD_HOSTS: readonly (readonly [string, readonly Cloud[]])[] = [
  ...endpointHosts(),
  ['.botframework.com', ['global']],
  ['tokengcch.botframework.azure.us', ['usgov']],
  ['apidod.botframework.azure.us', ['usgovdod']],
  ['.botframework.azure.us', ['usgov', 'usgovdod']],
  ['.botframework.us', ['usgov', 'usgovdod']],
  ['login.partner.microsoftonline.cn', ['china']],
  ['.botframework.azure.cn', ['china']],
];

/** The clouds a URL's host serves, by the first entry of CLOUD_HOSTS it matches; null when it is
 * not one of Microsoft's listed hosts (or not a URL). */
function cloudsOfHost(url: string): readonly Cloud[] | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  for (const [name, clouds] of CLOUD_HOSTS) {
    if (name.startsWith('.') ? host === name.slice(1) || host.endsWith(name) : host === name) return clouds;
  }
  return null;
}

/** The settings (of those given, name to value) naming a Microsoft host of another cloud than
 * `cloud`, each with the cloud its host serves. Their values are not kept. */
function foreignCloudSettings(
  cloud: Cloud,
  settings: Readonly<Record<string, string | undefined>>,
): { readonly setting: string; readonly hostCloud: string }[] {
  const found: { setting: string; hostCloud: string }[] = [];
  for (const [setting, v] of Object.entries(settings)) {
    const clouds = v === undefined ? null : cloudsOfHost(v);
    if (clouds && !clouds.includes(cloud)) found.push({ setting, hostCloud: clouds.join(' or ') });
  }
  return found;
}

/** The start log's warning for a real tenant's configuration whose Bot Framework endpoints, Graph
 * root or sign-in host name a Microsoft host of another cloud than CLOUD (null when none does). */
export function foreignCloudWarning(config: Config): { settings: string[]; text: string } | null {
  if (config.mode !== 'production') return null;
  const found = foreignCloudSettings(config.cloud, {
    ...config.bot.endpoints,
    GRAPH_ENDPOINT: config.graphEndpoint,
    AAD_APP_OAUTH_AUTHORITY_HOST: config.authorityHost,
  });
  if (found.length === 0) return null;
  const named = found.map((f) => `${f.setting} names a host of CLOUD=${f.hostCloud}`).join(', ');
  return {
    settings: found.map((f) => f.setting),
    text: `CLOUD is ${config.cloud} but ${named}: a tenant is reached only at its own cloud's hosts, so sign-in, Graph or the messages from Teams would fail for a tenant of the other cloud; check CLOUD and these settings (https://learn.microsoft.com/graph/deployments).`,
  };
}
