// Which audiences a Graph access token may carry in the simulated tenant, per national cloud.
//
// - A token's `aud` "must be validated, reject the token if the value doesn't match the intended
//   audience"; in v1.0 tokens (Graph's) it "can be the client ID or the resource URI used in the
//   request" (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference).
// - In a national cloud the resource URI is that cloud's Graph root: "Any permission scope value
//   (including the .default scope) that contains the Microsoft Graph domain MUST use the domain of
//   the Microsoft Graph service root endpoint for the national cloud deployment"
//   (https://learn.microsoft.com/en-us/graph/sdks/national-clouds), and "Access tokens acquired for
//   a national cloud deployment are not interchangeable with those acquired for the global service
//   or any other national cloud" (https://learn.microsoft.com/en-us/graph/deployments).
// - Graph's client ID is one GUID in every cloud, so an audience of that GUID cannot show which
//   cloud the token was for: it is taken only where the docs' general rule is the whole story, the
//   global service. The national clouds take only their own Graph root.

import type { SimRequest } from './envelope';
import type { CloudName } from './graph/items';

/** Microsoft Graph's application id (the same GUID in every cloud). */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Each national cloud's Graph root (graph-reference §9, https://learn.microsoft.com/en-us/graph/deployments). */
const CLOUD_GRAPH_ROOTS: Readonly<Record<CloudName, string>> = {
  global: 'https://graph.microsoft.com',
  usgov: 'https://graph.microsoft.us',
  usgovdod: 'https://dod-graph.microsoft.us',
  china: 'https://microsoftgraph.chinacloudapi.cn',
};

const ROOTS = new Set(Object.values(CLOUD_GRAPH_ROOTS));

/**
 * The audiences a Graph token may carry here: the Graph root of the cloud the tenant plays; the
 * root the call reached (the sandbox stands at its own address in that cloud's place), unless that
 * host is another cloud's Graph; and Graph's app id in the global service only.
 */
export function graphAudiences(req: SimRequest, cloud: CloudName): string[] {
  const own = CLOUD_GRAPH_ROOTS[cloud];
  const host = req.headers.host ? `https://${req.headers.host.toLowerCase()}` : null;
  const reached = host !== null && (host === own || !ROOTS.has(host)) ? [host] : [];
  return [...new Set([own, ...reached, ...(cloud === 'global' ? [GRAPH_APP_ID] : [])])];
}
