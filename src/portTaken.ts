// A port another program holds: the start says so and how to choose another (PORT), instead of
// Node's bare "listen EADDRINUSE". The sandbox launcher checks before it starts anything: its bot
// would fail to listen, and meanwhile the launcher, waiting for /healthz on that port, could take
// the other program's answer (another bot's) for its own and point the Playground at it.

import * as net from 'node:net';

function portTakenError(port: number): Error {
  return new Error(
    `Port ${port} is already in use by another program. Stop that program, or choose a free port with PORT (for example PORT=${port === 65535 ? port - 1 : port + 1} npm start).`,
  );
}

/** The error to report for a failed listen: the port's own words when another program holds it. */
export function listenError(e: unknown, port: number): unknown {
  return (e as { code?: unknown } | null)?.code === 'EADDRINUSE' ? portTakenError(port) : e;
}

/** Resolves when `port` can be listened on at `host` (and leaves it free again). */
export function ensurePortFree(port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (e) => reject(listenError(e, port)));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
