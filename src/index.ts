// Composition root: read the configuration, then either run the sandbox launcher (no identity
// configured) or the bot itself.

import { ConfigError, readConfig } from './config';
import type { Logger } from 'pino';
import { createLogger, scrubString } from './log';
import { startApp } from './app';
import { FORCED_EXIT_MS, SHUTDOWN_MS } from './shutdown';

// An error nothing handled ends the process with exit code 1, as Node would, but is written
// scrubbed, by its name and message only: Node's own report prints it with util.inspect, its
// properties included (a request's headers, a form body), and its stack (paths). An unhandled
// rejection comes here too (Node's default "throw" mode).
process.on('uncaughtException', (e: unknown) => {
  process.stderr.write(`Governance Bot stopped on an error nothing handled: ${scrubString(described(e))}\n`);
  process.exit(1);
});

/** An error's name and message, or a thrown value's text; never a throw of its own (a value with
 * no prototype has no text form, a getter may throw): one thrown here would end the process with
 * Node's own report, its stack included. */
function described(e: unknown): string {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    return 'a thrown value that has no text form';
  }
}

async function main(): Promise<void> {
  let config;
  try {
    config = readConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      // The console and the platform's logs keep no secret: a value quoted in a refusal is scrubbed
      // as a log line is (a connection string pasted into the wrong variable).
      process.stderr.write(`${scrubString(e.message)}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger();

  if (config.mode === 'sandbox') {
    // The simulated tenant is loaded only in the sandbox: a production process never carries it.
    const { runSandbox, sandboxChildConfig, SANDBOX_HOST, SANDBOX_TENANT_ARG, SANDBOX_PLAYGROUND_ARG } =
      await import('./sandbox/start');
    const tenantArg = process.argv.find((a) => a.startsWith(`${SANDBOX_TENANT_ARG}=`));
    if (!tenantArg) {
      await runSandbox(config, logger, __filename);
      return;
    }
    const playgroundArg = process.argv.find((a) => a.startsWith(`${SANDBOX_PLAYGROUND_ARG}=`));
    const sandbox = sandboxChildConfig(
      config,
      tenantArg.slice(SANDBOX_TENANT_ARG.length + 1),
      playgroundArg?.slice(SANDBOX_PLAYGROUND_ARG.length + 1),
    );
    const stopper = shutdownOnSignal(logger);
    const app = await startApp(sandbox.config, logger, { sandbox: sandbox.link, host: SANDBOX_HOST });
    stopper.closeWith((deadlineMs) => app.close(deadlineMs));
    return;
  }

  // Before the start opens the store: a SIGTERM during the start (a platform stopping an instance
  // still starting) waits for the start, then stops as any other (the store closed cleanly),
  // rather than taking the default action and ending the process where it stands.
  const stopper = shutdownOnSignal(logger);
  const app = await startApp(config, logger, {});
  logger.info({ event: 'bot.started', port: config.port, cloud: config.cloud }, 'Governance Bot is listening');
  if (config.publicBaseUrlAssumed)
    logger.warn(
      { event: 'config.botEndpoint.assumed', from: config.publicBaseUrlAssumed, publicBaseUrl: config.publicBaseUrl },
      config.publicBaseUrlAssumed === 'localhost'
        ? "BOT_ENDPOINT is not set: the sign-in pages (used when Teams SSO needs consent or MFA) are linked at this machine's localhost, which only a browser here can open; set BOT_ENDPOINT to the bot's public https origin"
        : "BOT_ENDPOINT is not set: the sign-in pages are linked at App Service's default host (WEBSITE_HOSTNAME); set BOT_ENDPOINT if users reach the bot at another host",
    );
  stopper.closeWith((deadlineMs) => app.close(deadlineMs));
}

/** Installs the stop on SIGINT and SIGTERM at once; `closeWith` gives it the running app's close
 * once the start has ended. A signal heard before that is kept, and the stop runs as the start
 * ends, with what is left of SHUTDOWN_MS since the signal (the forced exit is counted from it). */
function shutdownOnSignal(logger: Logger): { closeWith: (close: (deadlineMs: number) => Promise<void>) => void } {
  // Ctrl-C in a terminal reaches the sandbox's bot twice (SIGINT from the terminal, then SIGTERM
  // from its launcher): one shutdown only. The same signal again takes its default action (exit).
  let stopping: number | null = null;
  let closer: ((deadlineMs: number) => Promise<void>) | null = null;
  const run = (close: (deadlineMs: number) => Promise<void>, since: number): void => {
    close(Math.max(0, SHUTDOWN_MS - (Date.now() - since))).then(
      () => {
        logger.info({ event: 'bot.stopped' }, 'stopped');
        process.exit(0);
      },
      (e: unknown) => {
        logger.error({ err: e, event: 'bot.stop.failed' }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping !== null) return;
    stopping = Date.now();
    logger.info(
      { event: 'bot.stopping', signal, ...(closer ? {} : { starting: true }) },
      closer ? 'stopping: finishing work under way' : 'stopping once the start has ended',
    );
    // A last resort only: close() ends by SHUTDOWN_MS whatever hangs, its store closed.
    setTimeout(() => {
      logger.warn({ event: 'bot.stop.forced' }, 'work under way did not finish in time; exiting');
      process.exit(1);
    }, FORCED_EXIT_MS).unref();
    if (closer) run(closer, stopping);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    closeWith: (close) => {
      closer = close;
      if (stopping !== null) run(close, stopping);
    },
  };
}

main().catch((e: unknown) => {
  process.stderr.write(`Governance Bot failed to start: ${scrubString(e instanceof Error ? e.message : String(e))}\n`);
  process.exit(1);
});
