// The sign-in fallback wired end to end in process, for the signInFlow.*.test.ts files: the real
// handler (botRig), the bot's sign-in pages on a loopback HTTP server, and the simulated tenant's
// authorize and token endpoints over HTTPS (consent page, MFA step, PKCE codes), fresh for each
// test (registers the mocha hooks), with a small HTTP browser that follows the card's Sign in
// button. The pages run on the first rig; more rigs (bot instances) share its state directory,
// tenant, clock and the pages' origin.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import * as fs from 'node:fs';
import { Writable } from 'node:stream';
import * as restify from 'restify';
import { catalogScopes } from '../../src/auth/catalogScopes';
import { MsalCodeRedeemer } from '../../src/auth/codeRedeemer';
import { mountSignInPages } from '../../src/auth/signInPages';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';
import { createLogger } from '../../src/log';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { TenantServer, startTenantServer } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { freePort } from '../fixtures/ports';
import { SignInBrowser } from '../fixtures/signInBrowser';
import { FakeClock } from './fakeClock';
import { GRAPH, Rig, User } from './botRig';

const quiet = () =>
  createLogger({
    destination: new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  });

export interface SignInFlowSession {
  /** The test's state directory, shared by its rigs. */
  readonly dir: string;
  readonly tenant: SimulatedTenant;
  /** The origin of the bot's sign-in pages. */
  readonly base: string;
  /** Every rig of the test; the first serves the pages. */
  readonly rigs: Rig[];
  readonly clock: FakeClock;
  readonly browser: SignInBrowser;
  /** One more bot instance on the test's state directory, tenant and pages' origin. */
  rig(): Rig;
}

/** `seedOf` changes the demo seed the tenant of each test starts from (a user's flags, say). */
export function signInFlowSession(seedOf: (seed: DemoSeed) => DemoSeed = (seed) => seed): SignInFlowSession {
  let tls: LoopbackCertificate;
  let dir: string;
  let tenant: SimulatedTenant;
  let tenantServer: TenantServer;
  let base: string;
  let server: restify.Server;
  let rigs: Rig[];
  let clock: FakeClock;
  let browser: SignInBrowser;

  function rig(): Rig {
    const r = new Rig(dir, { tenant, botOrigin: base, clock });
    rigs.push(r);
    return r;
  }

  before(async () => {
    tls = await generateLoopbackCertificate();
  });

  beforeEach(async () => {
    dir = Rig.dir();
    rigs = [];
    clock = new FakeClock();
    tenant = new SimulatedTenant(seedOf(loadDemoSeed()));
    tenantServer = await startTenantServer({ tenant, cert: tls.cert, key: tls.key });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    browser = new SignInBrowser(tls.ca);
    const first = rig();
    server = restify.createServer({ handleUncaughtExceptions: false });
    const seed = first.seed;
    mountSignInPages(server, {
      publicBaseUrl: base,
      authorityHost: tenantServer.url,
      sso: { clientId: seed.app.clientId, clientSecret: seed.app.clientSecret, tenantId: seed.tenantId },
      // The Graph the rig calls: the redeemed token's audience.
      scopes: catalogScopes(GRAPH),
      states: first.signInStates,
      findPending: (id) => first.signInFlow.pendingView(id),
      onSignedIn: (aad, token, expiresOn, pendingId, signOutMark) =>
        first.signInFlow.signedIn(aad, token, expiresOn, pendingId, signOutMark),
      logger: quiet(),
      passwordResetPage: PASSWORD_RESET_PAGES.global,
      redeemer: new MsalCodeRedeemer({
        clientId: seed.app.clientId,
        clientSecret: seed.app.clientSecret,
        tenantId: seed.tenantId,
        authorityHost: tenantServer.url,
        ca: tls.ca,
      }),
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  });

  afterEach(async () => {
    for (const r of rigs) await r.close();
    server.close();
    await tenantServer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  return {
    get dir() {
      return dir;
    },
    get tenant() {
      return tenant;
    },
    get base() {
      return base;
    },
    get rigs() {
      return rigs;
    },
    get clock() {
      return clock;
    },
    get browser() {
      return browser;
    },
    rig,
  };
}

export const named = (r: Rig, name: string): User => r.user(r.seed.users.findIndex((u) => u.displayName === name));

/** The OAuth card of a turn: its exchange id and its Sign in button's URL. */
export function oauthOf(sent: ReadonlyArray<Partial<Activity>>) {
  const card = sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'));
  assert.ok(card, `an OAuth card: ${JSON.stringify(sent)}`);
  const content = card.content as {
    text: string;
    tokenExchangeResource: { id: string };
    buttons: Array<{ type: string; value: string }>;
  };
  return { id: content.tokenExchangeResource.id, url: content.buttons[0]!.value, text: content.text };
}

/** The token exchange Teams sends to `r` for the OAuth card `id`, with `user`'s SSO token. */
export const tokenExchange = (r: Rig, user: User, id: string) =>
  r.invoke(user, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(user) });

/** Alex Wilber, whose sign-in needs consent, asks `r` to cancel his access request: his OAuth card. */
export async function consentCommand(r: Rig) {
  const alex = named(r, 'Alex Wilber');
  const first = await r.message(alex, `cancel access-request ${r.seed.selfService.consentUserAccessRequestId}`);
  return { alex, card: oauthOf(first.sent) };
}
