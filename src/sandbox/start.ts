// The sandbox: with no identity configured, `npm start` runs a simulated tenant (Graph and
// sign-in over HTTPS on loopback), the bot, and the Microsoft 365 Agents Playground, so anyone can
// chat with the bot in a browser with no Azure account.
//
// The launcher process owns the simulated tenant and the Playground; the bot runs as a child
// process that trusts the tenant's certificate through NODE_EXTRA_CA_CERTS, exactly as a bot
// behind a private endpoint would. Everything after the user's SSO token is the production path.

import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import type { SandboxLink } from '../app';
import { Config, ignoredInSandbox, withSandboxTenant } from '../config';
import { realTenantHalfGiven, realTenantHalfGivenLines } from '../configSandbox';
import { configValue, type Env } from '../configValues';
import { projectRoot } from '../paths';
import { ensurePortFree } from '../portTaken';
import { FORCED_EXIT_MS } from '../shutdown';
import { SANDBOX_ALERTS_TEAM } from './alertsTeam';
import { generateLoopbackCertificate } from './certs';
import { sandboxDemo } from './demo';
import { startTenantServer } from './server';
import { PLAYGROUND_BOT_ID, playgroundBrowser, playgroundConfig } from './playground';
import { loadDemoSeed } from './seed';
import { SimulatedTenant } from './tenant';
import { unconfirmedFromEnv } from './unconfirmed';

export const SANDBOX_TENANT_ARG = '--sandbox-tenant';
/** The Playground's connector address (its serviceUrl), handed to the bot at start. */
export const SANDBOX_PLAYGROUND_ARG = '--sandbox-playground';
/** Everything the sandbox opens listens here only: its bot runs with inbound authentication off. */
export const SANDBOX_HOST = '127.0.0.1';
const PLAYGROUND_PORT = 56150;
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** In the bot process: the simulated tenant's coordinates, handed over by the launcher. */
export function sandboxChildConfig(
  config: Config,
  tenantUrl: string,
  playgroundServiceUrl?: string,
): { config: Config; link: SandboxLink } {
  const url = new URL(tenantUrl);
  if (url.protocol !== 'https:' || !LOOPBACK_NAMES.includes(url.hostname)) {
    throw new Error('The simulated tenant must be on loopback over https.');
  }
  const connector = playgroundServiceUrl === undefined ? undefined : new URL(playgroundServiceUrl);
  if (connector && (connector.protocol !== 'http:' || !LOOPBACK_NAMES.includes(connector.hostname))) {
    throw new Error('The Agents Playground must be on loopback.');
  }
  const seed = loadDemoSeed();
  const base = url.origin;
  const app = { clientId: seed.app.clientId, clientSecret: seed.app.clientSecret, tenantId: seed.tenantId };
  const withTenant = withSandboxTenant(config, base, app);
  return {
    // The demo's alerts admin group (Megan Bowen, the Playground's current user, is in it). The
    // Playground makes everyone a plain member of its team (roster `userRole` "user"); Megan may
    // change the Governance alerts channel's settings there as an owner of the team's group (the
    // seed's "Identity Operations", read as her through Graph) and as a member of this group.
    config: Object.freeze({
      ...withTenant,
      alerts: Object.freeze({ ...withTenant.alerts, adminGroupIds: Object.freeze([seed.alertsAdminGroupId]) }),
    }),
    link: {
      examples: seed.examples,
      alertsTeam: SANDBOX_ALERTS_TEAM,
      // The Playground is started first: its channel is reachable before anyone opens it.
      ...(playgroundServiceUrl
        ? { alertsTeamReach: { serviceUrl: playgroundServiceUrl, botId: PLAYGROUND_BOT_ID, tenantId: seed.tenantId } }
        : {}),
      // What a Logic App or a governance watcher would do: mint an app token, post events.
      demo: sandboxDemo(base, app.clientId, config.port),
      ssoToken: async (aadObjectId) => {
        const res = await fetch(`${base}/_sandbox/ssoToken`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ aadObjectId, clientId: app.clientId }),
        });
        if (res.status === 404) return null;
        if (!res.ok) throw new Error(`The simulated tenant answered ${res.status} for an SSO token.`);
        const body = (await res.json()) as { token?: unknown };
        return typeof body.token === 'string' ? body.token : null;
      },
    },
  };
}

/**
 * Where the sandbox bot keeps its state, and whether to empty it first. The simulated tenant starts
 * fresh every time, so its durable state (card claims, notifications) does too, in `.sandbox/state`,
 * unless STATE_DIRECTORY (or SECRET_STATE_DIRECTORY) names a directory to keep. An empty value is
 * "not set", exactly as the bot's configuration reads it: both read it through configValue.
 */
export function sandboxState(env: Env, sandboxDir: string): { directory: string; fresh: boolean } {
  const kept = configValue(env, 'STATE_DIRECTORY');
  return kept === undefined
    ? { directory: path.join(sandboxDir, 'state'), fresh: true }
    : { directory: kept, fresh: false };
}

/** Signals `child` to stop and resolves once it has exited, killing it if it is still there after
 * `withinMs`. */
async function stopChild(child: ChildProcess, withinMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), withinMs)));
  if ((await Promise.race([exited, late])) === 'late') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
      last = `status ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})`);
}

export async function runSandbox(config: Config, logger: Logger, entryScript: string): Promise<void> {
  // Before anything is written: a second sandbox would otherwise replace the CA file and empty
  // the state directory of the one that holds the port.
  await ensurePortFree(config.port, SANDBOX_HOST);
  // Said once, here: the bot process reads the same environment and ignores the same variables.
  const ignored = ignoredInSandbox(process.env);
  if (ignored.length > 0)
    logger.info(
      { event: 'sandbox.config.ignored', variables: ignored },
      `the sandbox ignores ${ignored.join(', ')} (set in the environment): it uses the demo tenant's own`,
    );
  const halfGiven = realTenantHalfGiven(process.env);
  if (halfGiven.length > 0)
    logger.warn(
      { event: 'sandbox.config.realTenantIncomplete', variables: halfGiven },
      `${halfGiven.join(', ')} set without MicrosoftAppId and AAD_APP_CLIENT_ID: starting the sandbox, not your tenant; set both to run against it`,
    );
  const dir = path.join(projectRoot(), '.sandbox');
  fs.mkdirSync(dir, { recursive: true });
  const seed = loadDemoSeed();
  // Unconfirmed Graph facts can be played another way (see src/sandbox/unconfirmed.ts).
  const tenant = new SimulatedTenant(seed, { unconfirmed: unconfirmedFromEnv(process.env) });
  const tls = await generateLoopbackCertificate();
  const caFile = path.join(dir, 'sandbox-ca.pem');
  fs.writeFileSync(caFile, tls.ca);
  const tenantServer = await startTenantServer({
    tenant,
    cert: tls.cert,
    key: tls.key,
    host: SANDBOX_HOST,
    log: logger,
  });

  const children: ChildProcess[] = [];
  let stopping = false;
  // The bot is signalled once and waited for: it ends its own shutdown by FORCED_EXIT_MS. Exiting
  // at once made the exit handler below signal it again, and a second SIGTERM kills it mid-way.
  const stopAll = async (code: number): Promise<never> => {
    if (stopping) return new Promise<never>(() => undefined);
    stopping = true;
    await Promise.all(children.map((c) => stopChild(c, FORCED_EXIT_MS + 1_000)));
    await tenantServer.close();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  // Whatever ends the launcher ends its children: no orphaned bot or Playground holding a port.
  process.once('exit', () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  });

  const botUrl = `http://127.0.0.1:${config.port}`;

  const playgroundDir = path.join(dir, 'playground');
  fs.mkdirSync(playgroundDir, { recursive: true });
  fs.writeFileSync(path.join(playgroundDir, '.m365agentsplayground.yml'), playgroundConfig(seed));
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const playground = spawn(
    process.execPath,
    // The Playground has no listen-host option: the preload keeps it on loopback.
    [
      '--require',
      path.join(__dirname, 'loopbackOnly.js'),
      cli,
      '-p',
      String(PLAYGROUND_PORT),
      '-e',
      `${botUrl}/api/messages`,
      '-c',
      'msteams',
      '--dt',
    ],
    {
      cwd: playgroundDir,
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: playgroundBrowser(process.env),
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(dir, 'playground.log'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(playground);
  playground.once('exit', (code) => {
    if (!stopping) logger.warn({ event: 'sandbox.playground.exited', code }, 'the Agents Playground stopped');
  });
  // The Playground takes another port when its default is busy; it says which.
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error('The Agents Playground did not start within 60 s.')), 60_000);
    playground.stdout?.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      const m = /Listening on (\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    playground.once('exit', () => reject(new Error('The Agents Playground exited during start.')));
  });
  playground.stdout?.resume();

  const state = sandboxState(process.env, dir);
  if (state.fresh) fs.rmSync(state.directory, { recursive: true, force: true });
  // The Playground is started first and the bot told its connector address (the serviceUrl the
  // Playground puts on every activity): the team's alerts channel is reachable before anyone opens
  // the Playground. The Playground calls the bot only once someone does.
  const connector = `http://localhost:${port}/_connector`;
  const botArgs = [`${SANDBOX_TENANT_ARG}=${tenantServer.url}`, `${SANDBOX_PLAYGROUND_ARG}=${connector}`];
  const bot = spawn(process.execPath, ['--no-deprecation', entryScript, ...botArgs], {
    env: { ...process.env, STATE_DIRECTORY: state.directory, NODE_EXTRA_CA_CERTS: caFile },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(bot);
  bot.once('exit', (code) => {
    if (!stopping) {
      logger.error({ event: 'sandbox.bot.exited', code }, 'the bot process stopped');
      void stopAll(code ?? 1);
    }
  });
  await waitForHttp(`${botUrl}/healthz`, 30_000);
  const playgroundUrl = `http://localhost:${port}`;
  await waitForHttp(`http://127.0.0.1:${port}/`, 30_000);

  process.stdout.write(
    sandboxBanner(process.env, {
      playgroundUrl,
      user: seed.users[0]?.displayName ?? 'the demo admin',
      botUrl,
      tenantUrl: tenantServer.url,
    }),
  );
}

/** What the launcher prints once everything answers. */
export function sandboxBanner(
  env: Env,
  at: { playgroundUrl: string; user: string; botUrl: string; tenantUrl: string },
): string {
  const line = '='.repeat(72);
  const halfGiven = realTenantHalfGivenLines(env);
  return [
    line,
    ' GOVERNANCE BOT SANDBOX: simulated tenant, no real Microsoft Entra data',
    ` Open ${at.playgroundUrl} and type "help".`,
    ` Signed in as ${at.user} (simulated Teams SSO).`,
    ` Bot: ${at.botUrl}/api/messages   Simulated tenant: ${at.tenantUrl}`,
    ...(halfGiven.length > 0 ? halfGiven : [' Set MicrosoftAppId and AAD_APP_CLIENT_ID to run against a real tenant.']),
    line,
    '',
  ].join('\n');
}
