// Bench users: copies of the seed's administrator (same Graph scopes, own Entra object id), added to
// the simulated tenant, each signed in through the bot's real Teams SSO path in a personal chat.

import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DemoSeed } from '../src/sandbox/seed';
import { SimulatedTenant } from '../src/sandbox/tenant';
import { BotProcess, Who, World, invoke, message, post } from '../test/e2e/harness';

/** Adds `count` users who may do everything the seed's first user may; returns them. */
export function addBenchUsers(world: World, count: number): Who[] {
  const admin = world.seed.users[0]!;
  const users = Array.from({ length: count }, (_, i) => ({
    ...admin,
    id: `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    displayName: `Bench User ${i}`,
    userPrincipalName: `bench${i}@contoso.example`,
  }));
  const seed: DemoSeed = { ...world.seed, users: [...world.seed.users, ...users] };
  world.tenant.load(seed);
  return users.map((u) => ({ id: `29:${u.id}`, aadObjectId: u.id, name: u.displayName }));
}

/** A pending PIM role request, new for every turn, so every command turn is a full success. */
export function freshRoleRequest(tenant: SimulatedTenant): string {
  const id = randomUUID();
  tenant.addRoleRequest({
    id,
    status: 'PendingApproval',
    roleName: 'Global Administrator',
    principal: 'Adele Vance',
    justification: 'bench',
    duration: 'PT8H',
  });
  return id;
}

/** The SSO token Teams would attach for this user. */
export function ssoToken(world: World, who: Who): string {
  return world.tenant.issueSsoToken(who.aadObjectId, world.seed.app.clientId);
}

/**
 * Signs a user in on one bot as Teams does: a command (by default a cancel of a fresh request), the
 * bot's OAuth card with a token exchange resource, then `signin/tokenExchange` with the user's SSO
 * token.
 */
export async function signIn(
  world: World,
  bot: BotProcess,
  who: Who,
  command = `cancel role-request ${freshRoleRequest(world.tenant)}`,
): Promise<void> {
  const conversation = `a:personal-${who.aadObjectId}`;
  const first = await post(world, bot, message(world, who, command));
  if (first.status !== 200) throw new Error(`sign-in command for ${who.name}: ${first.status}`);
  const oauth = await world.waitFor(
    (c) => c.conversationId === conversation && JSON.stringify(c.activity).includes('tokenExchangeResource'),
  );
  const attachments = oauth.activity.attachments as Array<{ content: { tokenExchangeResource: { id: string } } }>;
  const id = attachments[0]!.content.tokenExchangeResource.id;
  const ex = await post(
    world,
    bot,
    invoke(world, who, 'signin/tokenExchange', { id, connectionName: '', token: ssoToken(world, who) }),
  );
  if (ex.status !== 200) throw new Error(`token exchange for ${who.name}: ${ex.status}`);
}

/**
 * Delegated Graph tokens for the users, from the simulated Entra's on-behalf-of grant with each
 * user's SSO token: what Governance Bot holds after sign-in, for the Graph floor bot.
 */
export function graphTokens(world: World, users: readonly Who[]): Record<string, string> {
  const graph = new URL(world.tenantServer.url);
  const tokens: Record<string, string> = {};
  for (const who of users) {
    const body = new URLSearchParams({
      client_id: world.seed.app.clientId,
      client_secret: world.seed.app.clientSecret,
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      assertion: ssoToken(world, who),
      scope: `${graph.origin}/.default`,
    }).toString();
    const res = world.tenant.handle({
      method: 'POST',
      url: `/${world.seed.tenantId}/oauth2/v2.0/token`,
      headers: { host: graph.host, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const token = (JSON.parse(res.body ?? '{}') as { access_token?: string }).access_token;
    if (res.status !== 200 || !token)
      throw new Error(`no Graph token for ${who.name}: ${res.status} ${res.body ?? ''}`);
    tokens[who.aadObjectId] = token;
  }
  return tokens;
}

/** The users' Graph tokens in a file of their own (owner-only), for the Graph floor bot
 * (BENCH_GRAPH_TOKENS_FILE), and how to remove it: never in a directory that is kept. */
export function writeGraphTokens(world: World, users: readonly Who[]): { file: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-bench-'));
  const file = path.join(dir, 'graph-tokens.json');
  fs.writeFileSync(file, JSON.stringify(graphTokens(world, users)), { mode: 0o600 });
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
