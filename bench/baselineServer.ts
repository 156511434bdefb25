// The server of the bench's baseline bots: the same code Governance Bot runs (restify route,
// CloudAdapter, inbound JWT validation, configuration) around a bare handler.

import { ActivityHandler } from 'botbuilder';
import { createAdapter } from '../src/bot/adapter';
import { Config, readConfig } from '../src/config';
import { createLogger } from '../src/log';
import { createServer } from '../src/server';
import { listen } from '../src/serverListen';

/** The stdout event of a Graph floor turn without a successful Graph write (not made, or refused). */
export const FLOOR_FAILED = 'bench.floor.graphFailed';

export async function serveBaseline(handler: (bot: ActivityHandler, config: Config) => void): Promise<void> {
  const config = readConfig(process.env);
  const logger = createLogger({ level: 'warn' });
  const bot = new ActivityHandler();
  handler(bot, config);
  await listen(createServer(createAdapter(config, logger), bot, logger), config.port);
  const stop = (): never => process.exit(0);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
