// How the bot's HTTP server (server.ts) listens and closes: its keep-alive and request timeouts,
// and a close that lets the requests under way be answered while no connection is kept open
// after its answer.

import type { IncomingMessage, Server as NodeHttpServer, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type * as restify from 'restify';
import { listenError } from './portTaken';

export interface HttpServer {
  readonly server: restify.Server;
  readonly url: string;
  close(): Promise<void>;
}

/** Idle keep-alive connections stay open this long: longer than the 60 s idle timeout common to
 * load balancers and reverse proxies, so the server is never the side that closes a connection
 * the client is about to reuse (Node's 5 s default made ~2% of clicks fail with 'other side
 * closed' in the bench: the client sent on a connection the server had just closed). */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** A request must have arrived whole this long after its first byte, or Node answers 408 and
 * closes its connection: Node's 300 s default let a client trickle a body (to a path that never
 * reads it, or slower than the routes' own 30 s body deadline allows) for five minutes per
 * connection. Not less than the headers timeout: Node takes the smaller of the two as the headers
 * timeout and the larger as the request timeout. It checks every 30 s, so such a request is cut
 * within 100 s. Connections idle between requests, or not used yet, are not timed by it.
 * https://nodejs.org/docs/latest-v20.x/api/http.html#serverrequesttimeout */
const REQUEST_TIMEOUT_MS = KEEP_ALIVE_TIMEOUT_MS + 5_000;

export async function listen(server: restify.Server, port: number, host?: string): Promise<HttpServer> {
  const http = server.server;
  http.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node requires the headers timeout to exceed the keep-alive timeout, or a reused connection
  // can be cut while its next request's headers are arriving.
  http.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  http.requestTimeout = REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: unknown) => reject(listenError(e, port)));
    if (host) server.listen(port, host, () => resolve());
    else server.listen(port, () => resolve());
  });
  const address = server.address();
  const closing = answersWhileClosing(http);
  return {
    server,
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        closing.begin();
        // Node's close() also ends every connection its parser deems idle, and that includes one
        // whose answer has been ended but is not yet handed over (a slow client reading a large
        // answer): the answer was cut. begin() has ended the idle ones already, and ends such a
        // one once its answer is handed over.
        const closeIdle = http.closeIdleConnections;
        http.closeIdleConnections = () => undefined;
        try {
          server.close(() => resolve());
        } finally {
          http.closeIdleConnections = closeIdle;
        }
      }),
  };
}

/** Once `begin()` is called, every answer not yet sent says `Connection: close`, and the
 * connections with no request under way are ended. Node's close() ends idle connections at once
 * but waits for a busy one to end, and a kept-alive connection does not end after its answer:
 * close() waited out the keep-alive timeout (over a minute, so the shutdown's whole drain), and
 * the client could send new requests on it meanwhile. With the header, the connection ends with
 * its answer and close() resolves when the last request under way has been answered
 * (https://www.rfc-editor.org/rfc/rfc9112#name-tear-down). Node does not count as idle a
 * connection not used yet (a proxy's or a pool's, opened ahead) or one whose request has only
 * partly arrived, and once closing it no longer enforces the headers timeout: either held close()
 * until the shutdown's drain deadline. Nothing of their requests has been read, so they are ended. */
function answersWhileClosing(http: NodeHttpServer): { begin(): void } {
  const open = new Map<ServerResponse, Socket>();
  const connections = new Set<Socket>();
  let closing = false;
  const lastAnswer = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  const accepted = (socket: Socket): void => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  };
  http.on('connection', accepted);
  // Before restify's own listeners, so a request that comes on a kept-alive connection after
  // close() began is marked before any route can answer it. A request with `Expect: 100-continue`
  // comes as 'checkContinue' instead of 'request' (https://nodejs.org/api/http.html#event-checkcontinue).
  const busy = (socket: Socket): boolean => [...open.values()].includes(socket);
  const underWay = (req: IncomingMessage, res: ServerResponse): void => {
    if (closing) lastAnswer(res);
    const socket = req.socket;
    open.set(res, socket);
    const answered = (): void => {
      if (!open.delete(res)) return;
      // An answer whose headers left before closing began (a slow client still reading a large
      // one, or one written in parts) said keep-alive: its connection would stay open after it
      // and hold close() until the drain's deadline. Ended as Node ends a last answer's: once
      // what was written has been handed over ('finish').
      if (closing && !busy(socket)) socket.destroySoon();
    };
    res.once('finish', answered);
    res.once('close', answered);
  };
  http.prependListener('request', underWay);
  http.prependListener('checkContinue', underWay);
  // Once closed, none of its connections is left: a later listen() on the same server starts
  // afresh, and its answers are not told to end their connections because this one closed.
  http.once('close', () => {
    http.off('connection', accepted);
    http.off('request', underWay);
    http.off('checkContinue', underWay);
  });
  return {
    begin: () => {
      closing = true;
      for (const res of open.keys()) lastAnswer(res);
      for (const socket of connections) if (!busy(socket)) socket.destroy();
    },
  };
}
