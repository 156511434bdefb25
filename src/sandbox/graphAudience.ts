// Which audiences a Graph access token may carry in the simulated tenant. Graph takes only a token
// issued for Graph (https://learn.microsoft.com/en-us/entra/identity-platform/claims-validation),
// and a token for one national cloud's Graph is not taken by another's
// (https://learn.microsoft.com/en-us/graph/deployments).

import type { SimRequest } from './envelope';
import type { CloudName } from './graph/items';

/** Microsoft Graph's application id: an audience every Graph root accepts. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Each national cloud's Graph root (graph-reference §9, https://learn.microsoft.com/en-us/graph/deployments). */
export const CLOUD_GRAPH_ROOTS: Readonly<Record<CloudName, string>> = {
  global: 'https://graph.microsoft.com',
  usgov: 'https://graph.microsoft.us',
  usgovdod: 'https://dod-graph.microsoft.us',
  china: 'https://microsoftgraph.chinacloudapi.cn',
};

/**
 * The audiences a Graph token may carry here: the Graph root the call reached (the request's
 * host), the Graph root of the cloud the tenant plays, or Graph's app id.
 */
export function graphAudiences(req: SimRequest, cloud: CloudName): string[] {
  const host = req.headers.host;
  return [...(host ? [`https://${host.toLowerCase()}`] : []), CLOUD_GRAPH_ROOTS[cloud], GRAPH_APP_ID];
}
