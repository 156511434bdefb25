// Deadlines on the bot's calls to the Bot Connector and on verifying what the channel sends.
// Every connector call goes through one method of its client (sendOperationRequest); a deadline
// there, as the abort signal core-client honours, bounds every operation of that client. The race
// also ends a call whose transport ignores the signal.

import type { ConnectorClient } from 'botframework-connector';

/** How long one call to the Bot Connector may take, token acquisition included. */
export const CONNECTOR_DEADLINE_MS = 15_000;

/** How long verifying one inbound token may take, the channel's signing keys read included
 * (two requests when they are not cached: the OpenID metadata, then its key set). */
export const AUTHENTICATION_DEADLINE_MS = 10_000;

/** A connector call that ran out of time; `code` lets callers tell it from an HTTP refusal. */
export class ConnectorTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`The Bot Connector did not answer within ${ms} ms.`);
    this.name = 'ConnectorTimeoutError';
  }
}

/** Gives every operation of one client (a ConnectorClient, a TeamsConnectorClient) a deadline. */
export function withDeadline<C extends Pick<ConnectorClient, 'sendOperationRequest'>>(client: C, ms: number): C {
  const send = client.sendOperationRequest.bind(client);
  client.sendOperationRequest = async (args, spec, callback) => {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new ConnectorTimeoutError(ms);
        controller.abort(error);
        reject(error);
      }, ms);
    });
    const given = args.options?.abortSignal as AbortSignal | undefined;
    const signal = given ? AbortSignal.any([given, controller.signal]) : controller.signal;
    try {
      return await Promise.race([
        send({ ...args, options: { ...args.options, abortSignal: signal } }, spec, callback),
        expired,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
  return client;
}
