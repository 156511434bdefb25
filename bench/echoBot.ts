// Baseline for the benchmark: the same server (restify route, CloudAdapter, inbound JWT
// validation, configuration) with a bare echo handler instead of Governance Bot.

import { ActivityHandler } from 'botbuilder';
import { readConfig } from '../src/config';
import { createLogger } from '../src/log';
import { createAdapter } from '../src/bot/adapter';
import { createServer, listen } from '../src/server';

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const logger = createLogger({ level: 'warn' });
  const bot = new ActivityHandler();
  bot.onMessage(async (ctx, next) => {
    await ctx.sendActivity({ type: 'message', text: `echo: ${ctx.activity.text ?? ''}`, summary: 'echo' });
    await next();
  });
  await listen(createServer(createAdapter(config, logger), bot, logger), config.port);
  const stop = (): never => process.exit(0);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
