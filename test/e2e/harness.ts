// The world around the bot in end-to-end tests, all on loopback over HTTPS with one generated
// certificate: a Bot Framework channel that signs activities (OpenID metadata + JWKS with
// endorsements), the App Service managed-identity endpoint that gives the bot its own token, a
// connector that records what the bot sends (and refuses, as Teams does, a message over its size),
// and the simulated tenant for sign-in and Graph.
// The bot runs as a child process started exactly as in production, inbound JWT validation on
// (botProcess.ts); the activities tests send it are built in activities.ts. Both are re-exported
// here, with the ids of botIdentity.ts, so tests and the bench import the whole world from this file.

import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../fixtures/ports';
import { messageTooBig } from '../fixtures/teamsLimitWindows';
import { generateLoopbackCertificate } from '../../src/sandbox/certs';
import { createSigningKey, signJwt } from '../../src/auth/jwt';
import { startTenantServer, TenantServer } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant, TenantOptions } from '../../src/sandbox/tenant';
import { BOT_APP_ID, BOT_TENANT_ID, CHANNEL_ISSUER } from './botIdentity';

export { BOT_APP_ID, BOT_TENANT_ID, CHANNEL_ISSUER };
export { BotProcess, startBot } from './botProcess';
export { Who, cardText, invoke, isCard, message, post, userOf } from './activities';

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
  /** Programmable connector failures: status to answer for the next N sends, with the error code
   * of the body (`Throttled` unless given; Teams' codes per status:
   * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis). */
  connectorFaults: Array<{ status: number; code?: string; retryAfter?: string; hang?: boolean }>;
  /** A status (and the body's error code, `ServiceError` unless given) to refuse a send with,
   * chosen by what is sent (every attempt of it); null to take it. */
  connectorRefuses: ((activity: Record<string, unknown>) => number | { status: number; code: string } | null) | null;
  msiRequests: number;
  /** What the bot asked the managed-identity endpoint for: the resource and the identity. */
  readonly msiAsked: Array<{ readonly resource: string; readonly clientId: string }>;
  /** The audience of the storage tokens the endpoint gives (Azure Storage's own unless a test
   * changes it). */
  storageAudience: string;
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
    msiAsked: [],
    storageAudience: 'https://storage.azure.com',
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
        const resource = url.searchParams.get('resource') ?? '';
        world.msiAsked.push({ resource, clientId: url.searchParams.get('client_id') ?? '' });
        return send(200, {
          access_token: /^https:\/\/storage\.azure\.com\/?$/.test(resource)
            ? storageToken(world.storageAudience)
            : MSI_TOKEN,
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
            { error: { code: fault.code ?? 'Throttled', message: 'The connector refused the activity.' } },
            fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
          );
        const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        // As Teams: a message over 80 KB as UTF-16 is refused (teamsLimitWindows.ts).
        if (messageTooBig(activity))
          return send(413, { error: { code: 'MessageSizeTooBig', message: 'The message is too large.' } });
        const refused = world.connectorRefuses?.(activity) ?? null;
        if (refused !== null) {
          world.faultHits++;
          const { status, code } = typeof refused === 'number' ? { status: refused, code: 'ServiceError' } : refused;
          return send(status, { error: { code, message: 'The service could not take the activity.' } });
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

/** A token as Entra issues one for Azure Storage, as far as Azurite's basic OAuth checks it
 * (issuer https://sts.windows.net/<tenant>/, audience, lifetime; not the signature). */
function storageToken(audience: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = {
    aud: audience,
    iss: `https://sts.windows.net/${BOT_TENANT_ID}/`,
    iat: now - 60,
    nbf: now - 60,
    exp: now + 3600,
    appid: BOT_APP_ID,
    tid: BOT_TENANT_ID,
  };
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part(claims)}.${Buffer.from('unsigned').toString('base64url')}`;
}
