// Composition root: read the configuration, then either run the sandbox launcher (no identity
// configured) or the bot itself.

import { ConfigError, readConfig } from './config';
import { createLogger } from './log';
import { startApp } from './app';
import { runSandbox, sandboxChildConfig, SANDBOX_HOST, SANDBOX_TENANT_ARG } from './sandbox/start';

async function main(): Promise<void> {
  let config;
  try {
    config = readConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger();

  if (config.mode === 'sandbox') {
    const tenantArg = process.argv.find((a) => a.startsWith(`${SANDBOX_TENANT_ARG}=`));
    if (!tenantArg) {
      await runSandbox(config, logger, __filename);
      return;
    }
    const sandbox = sandboxChildConfig(config, tenantArg.slice(SANDBOX_TENANT_ARG.length + 1));
    const app = await startApp(sandbox.config, logger, { sandbox: sandbox.link, host: SANDBOX_HOST });
    shutdownOnSignal(() => app.close());
    return;
  }

  const app = await startApp(config, logger, {});
  logger.info({ event: 'bot.started', port: config.port, cloud: config.cloud }, 'Governance Bot is listening');
  shutdownOnSignal(() => app.close());
}

function shutdownOnSignal(close: () => Promise<void>): void {
  const stop = (): void => {
    void close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`Governance Bot failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
