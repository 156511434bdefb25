// The bot's HTTP server as the server tests need it: inbound authentication as configured by no
// variables, and a logger that writes nowhere.

import { Writable } from 'node:stream';
import { ActivityHandler } from 'botbuilder';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { createAdapter } from '../../src/bot/adapter';
import { createServer } from '../../src/server';

export function quietServer(): ReturnType<typeof createServer> {
  const logger = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  return createServer(createAdapter(readConfig({}), logger), new ActivityHandler(), logger);
}
