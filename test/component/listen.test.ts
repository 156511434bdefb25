// The HTTP server keeps idle connections longer than the proxies and clients in front of it, so
// it is never the side that closes a connection a client is about to reuse. With Node's 5 s
// default a bench saw 'other side closed' on ~2% of clicks: the client had sent a request on a
// keep-alive connection the server closed at that instant.
// Node: server.keepAliveTimeout, and headersTimeout must be larger than it:
// https://nodejs.org/api/http.html#serverkeepalivetimeout

import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { ActivityHandler } from 'botbuilder';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { createAdapter } from '../../src/bot/adapter';
import { HttpServer, createServer, listen } from '../../src/server';

describe('listen', () => {
  let running: HttpServer | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('keeps idle connections for over a minute, and waits for headers longer still', async () => {
    const logger = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
    const config = readConfig({});
    running = await listen(createServer(createAdapter(config, logger), new ActivityHandler(), logger), 0, '127.0.0.1');
    const server = running.server.server;
    assert.ok(server.keepAliveTimeout > 60_000, `keepAliveTimeout is ${server.keepAliveTimeout} ms`);
    assert.ok(server.headersTimeout > server.keepAliveTimeout, `headersTimeout is ${server.headersTimeout} ms`);
  });
});
