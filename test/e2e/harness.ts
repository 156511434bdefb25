// The world around the bot in end-to-end tests, all on loopback over HTTPS with one generated
// certificate: a Bot Framework channel that signs activities (OpenID metadata + JWKS with
// endorsements), the App Service managed-identity endpoint that gives the bot its own token, a
// connector that records what the bot sends, and the simulated tenant for sign-in and Graph.
// The bot runs as a child process started exactly as in production, inbound JWT validation on.

import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { freePort } from '../fixtures/ports';
import { generateLoopbackCertificate } from '../../src/sandbox/certs';
import { createSigningKey, signJwt } from '../../src/auth/jwt';
import { startTenantServer, TenantServer } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant, TenantOptions } from '../../src/sandbox/tenant';

export const CHANNEL_ISSUER = 'https://api.botframework.test';
export const BOT_APP_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const BOT_TENANT_ID = '5b0c9d1e-7a64-4f2b-9c3d-2e8f1a6b4c70';
const MSI_HEADER = 'msi-header-secret-value';
const MSI_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.bXNp';

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly conversationId: string;
  readonly activityId: string | null;
  readonly activity: Record<string, unknown>;
  readonly authorized: boolean;
}

export type AuthMode = 'valid' | 'none' | 'forged' | 'expired' | 'wrongAudience';

export interface World {
  readonly url: string;
  readonly serviceUrl: string;
  readonly caFile: string;
  readonly seed: DemoSeed;
  readonly tenant: SimulatedTenant;
  readonly tenantServer: TenantServer;
  readonly calls: RecordedCall[];
  /** Programmable connector failures: status to answer for the next N sends. */
  connectorFaults: Array<{ status: number; retryAfter?: string; hang?: boolean }>;
  /** A status to refuse a send with, chosen by what is sent (every attempt of it); null to take it. */
  connectorRefuses: ((activity: Record<string, unknown>) => number | null) | null;
  msiRequests: number;
  /** Connector answers taken from connectorFaults. */
  faultHits: number;
  botEnv(extra?: Record<string, string>): Record<string, string>;
  sign(activity: Record<string, unknown>, mode?: AuthMode): string | null;
  waitFor(pred: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  close(): Promise<void>;
}

export async function startWorld(tenantOptions: TenantOptions = {}): Promise<World> {
  const tls = await generateLoopbackCertificate();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-e2e-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, tls.ca);
  const channelKey = createSigningKey('channel-key-1');
  const forgerKey = createSigningKey('channel-key-1');
  const seed = loadDemoSeed();
  const tenant = new SimulatedTenant(seed, tenantOptions);
  const tenantServer = await startTenantServer({ tenant, cert: tls.cert, key: tls.key });

  const calls: RecordedCall[] = [];
  const waiters: Array<{ pred: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }> = [];
  let base = '';
  const world: World = {
    url: '',
    serviceUrl: '',
    caFile,
    seed,
    tenant,
    tenantServer,
    calls,
    connectorFaults: [],
    connectorRefuses: null,
    msiRequests: 0,
    faultHits: 0,
    botEnv: (extra = {}) => ({
      MicrosoftAppId: BOT_APP_ID,
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: BOT_TENANT_ID,
      IDENTITY_ENDPOINT: `${base}/msi/token`,
      IDENTITY_HEADER: MSI_HEADER,
      ToBotFromChannelOpenIdMetadataUrl: `${base}/channel/.well-known/openidconfiguration`,
      ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
      ToChannelFromBotLoginUrl: `${base}/login`,
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      ToBotFromEmulatorOpenIdMetadataUrl: `${base}/channel/.well-known/openidconfiguration`,
      OAuthUrl: `${base}/oauth`,
      CallerId: 'urn:botframework:azure',
      AAD_APP_CLIENT_ID: seed.app.clientId,
      AAD_APP_CLIENT_SECRET: seed.app.clientSecret,
      AAD_APP_TENANT_ID: seed.tenantId,
      AAD_APP_OAUTH_AUTHORITY_HOST: tenantServer.url,
      GRAPH_ENDPOINT: tenantServer.url,
      STATE_DIRECTORY: path.join(dir, 'state'),
      ...extra,
    }),
    sign: (activity, mode = 'valid') => {
      if (mode === 'none') return null;
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: CHANNEL_ISSUER,
        aud: mode === 'wrongAudience' ? randomUUID() : BOT_APP_ID,
        serviceurl: activity.serviceUrl,
        nbf: now - 10,
        iat: now - 10,
        exp: mode === 'expired' ? now - 3600 : now + 3600,
      };
      return `Bearer ${signJwt(claims, mode === 'forged' ? forgerKey : channelKey)}`;
    },
    waitFor: (pred, timeoutMs = 15_000) => {
      const hit = calls.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const waiter = { pred, resolve: (c: RecordedCall) => (clearTimeout(timer), resolve(c)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no matching connector call within ${timeoutMs} ms; saw ${calls.length} calls`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: async () => {
      await tenantServer.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };

  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      };
      if (url.pathname === '/channel/.well-known/openidconfiguration') {
        return send(200, {
          issuer: CHANNEL_ISSUER,
          authorization_endpoint: `${base}/channel/authorize`,
          jwks_uri: `${base}/channel/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      }
      if (url.pathname === '/channel/keys') {
        return send(200, { keys: [{ ...channelKey.publicJwk, endorsements: ['msteams'] }] });
      }
      if (url.pathname === '/msi/token') {
        world.msiRequests++;
        if (req.headers['x-identity-header'] !== MSI_HEADER) return send(401, { error: 'bad identity header' });
        return send(200, {
          access_token: MSI_TOKEN,
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          resource: url.searchParams.get('resource') ?? '',
          token_type: 'Bearer',
          client_id: url.searchParams.get('client_id') ?? '',
        });
      }
      const m = /^\/connector\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url.pathname);
      if (m) {
        const fault = world.connectorFaults.shift();
        if (fault) world.faultHits++;
        // A hung connector: the request is read and never answered.
        if (fault?.hang) return;
        if (fault)
          return send(
            fault.status,
            { error: { code: 'Throttled' } },
            fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
          );
        const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        const refused = world.connectorRefuses?.(activity) ?? null;
        if (refused !== null) {
          world.faultHits++;
          return send(refused, { error: { code: 'ServiceError' } });
        }
        const call: RecordedCall = {
          method: req.method ?? '',
          path: url.pathname,
          conversationId: decodeURIComponent(m[1] ?? ''),
          activityId: m[2] ? decodeURIComponent(m[2]) : null,
          activity,
          authorized: req.headers.authorization === `Bearer ${MSI_TOKEN}`,
        };
        calls.push(call);
        for (const w of [...waiters]) {
          if (w.pred(call)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(call);
          }
        }
        return send(req.method === 'PUT' ? 200 : 201, { id: `act-${calls.length}` });
      }
      return send(404, { error: 'not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(world, { url: base, serviceUrl: `${base}/connector/` });
  return world;
}

export { freePort };

export interface BotProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** JSON lines printed on stdout. */
  lines(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Starts `node dist/src/index.js` as production does, with only the given environment. */
export async function startBot(
  world: World,
  env: Record<string, string>,
  entry: string = path.join(projectRoot(), 'dist', 'src', 'index.js'),
): Promise<BotProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--no-deprecation', entry], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_EXTRA_CA_CERTS: world.caFile,
      PORT: String(port),
      // The sign-in pages' origin: the bot's own loopback URL in these tests.
      BOT_ENDPOINT: `http://127.0.0.1:${port}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited (${child.exitCode}):\n${err}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the bot did not answer /healthz:\n${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    stdout: () => out,
    stderr: () => err,
    lines: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface Who {
  readonly id: string;
  readonly aadObjectId: string;
  readonly name: string;
}

export function userOf(seed: DemoSeed, index: number): Who {
  const u = seed.users[index]!;
  return { id: `29:${u.id}`, aadObjectId: u.id, name: u.displayName };
}

type Kind = 'personal' | 'groupChat' | 'channel';

/** What every activity from Teams carries: its id, time, channel, service URL, sender and the bot. */
function envelope(world: World, from: Who, id: string) {
  return {
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: world.serviceUrl,
    from,
    recipient: { id: `28:${BOT_APP_ID}`, name: 'Governance Bot' },
  };
}

export function message(world: World, from: Who, text: string, kind: Kind = 'personal', conversationId?: string) {
  const convId =
    conversationId ??
    (kind === 'personal'
      ? `a:personal-${from.aadObjectId}`
      : kind === 'groupChat'
        ? '19:group@thread.v2'
        : '19:channel@thread.tacv2');
  const mention = kind === 'channel' ? '<at>Governance Bot</at> ' : '';
  return {
    ...envelope(world, from, `msg-${randomUUID()}`),
    type: 'message',
    conversation: {
      id: convId,
      conversationType: kind === 'personal' ? 'personal' : kind,
      tenantId: world.seed.tenantId,
      ...(kind === 'personal' ? {} : { isGroup: true }),
    },
    text: `${mention}${text}`,
    textFormat: 'plain',
    entities:
      kind === 'channel'
        ? [
            {
              type: 'mention',
              mentioned: { id: `28:${BOT_APP_ID}`, name: 'Governance Bot' },
              text: '<at>Governance Bot</at>',
            },
          ]
        : [],
    channelData: {
      tenant: { id: world.seed.tenantId },
      ...(kind === 'channel' ? { channel: { id: convId }, team: { id: '19:team' } } : {}),
    },
  };
}

export function invoke(world: World, from: Who, name: string, value: unknown, conversationId?: string) {
  return {
    ...envelope(world, from, `inv-${randomUUID()}`),
    type: 'invoke',
    name,
    value,
    conversation: {
      id: conversationId ?? `a:personal-${from.aadObjectId}`,
      conversationType: 'personal',
      tenantId: world.seed.tenantId,
    },
    channelData: { tenant: { id: world.seed.tenantId } },
  };
}

export async function post(
  world: World,
  bot: BotProcess,
  activity: Record<string, unknown>,
  mode: AuthMode = 'valid',
): Promise<{ status: number; body: string }> {
  const auth = world.sign(activity, mode);
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify(activity),
  });
  return { status: res.status, body: await res.text() };
}

/** The first Adaptive Card of a recorded activity, as text, for assertions. */
export function cardText(call: RecordedCall): string {
  const atts = (call.activity.attachments as Array<{ content?: unknown }> | undefined) ?? [];
  return JSON.stringify(atts.map((a) => a.content));
}

export function isCard(call: RecordedCall, contentType = 'application/vnd.microsoft.card.adaptive'): boolean {
  const atts = (call.activity.attachments as Array<{ contentType?: string }> | undefined) ?? [];
  return atts.some((a) => a.contentType === contentType);
}
