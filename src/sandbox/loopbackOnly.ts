// Preloaded (node --require) into the Agents Playground, which has no option for its listen host
// and would listen on every interface: in that process, a server opened on a port without a host
// listens on loopback instead. The sandbox's bot runs with inbound authentication off, and the
// Playground talks to it as the demo user, so neither may be reachable from other machines.

import * as net from 'node:net';

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;

/** listen(port[, host][, backlog][, cb]) or listen({ port, host }): fill in a missing host. */
function withLoopbackHost(args: unknown[]): unknown[] {
  const [first, second] = args;
  if (args.length === 0 || typeof first === 'function') return [0, LOOPBACK, ...args];
  const isPort = typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first));
  if (isPort) {
    if (typeof second === 'string') return args;
    // listen(port, undefined, ...) names no host either.
    const rest = args.length > 1 && second === undefined ? args.slice(2) : args.slice(1);
    return [first, LOOPBACK, ...rest];
  }
  if (typeof first === 'object' && first !== null && 'port' in first && !('host' in first && first.host)) {
    return [{ ...first, host: LOOPBACK }, ...args.slice(1)];
  }
  return args; // a pipe path or a handle: not a network listener
}

net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
  return (listen as (...a: unknown[]) => net.Server).apply(this, withLoopbackHost(args));
} as typeof listen;
