// What the simulated tenant's HTTPS mount does when its model throws: answers as the real service
// answers a failure of its own, and says so in one scrubbed log line. Without the line, a fault in
// the simulator reads in the sandbox exactly as a Graph or Entra outage would, and nothing tells
// where it came from.

import type { Logger } from 'pino';
import { scrubString } from '../log';
import { createEnvelope, type SimRequest, type SimResponse } from './envelope';
import { oauthErrorBody } from './entraTokens';

/** Where a model fault is written: the launcher's logger, or stderr when the mount has none. */
export type FaultLog = Pick<Logger, 'error'>;

/** Dresses the answer when the model itself fails. */
const FAULT_ENVELOPE = createEnvelope(Date.now);

/**
 * Entra's sign-in endpoints sit under a tenant segment (/{tenant}/oauth2/..., /{tenant}/discovery/...,
 * /{tenant}/v2.0/.well-known/...); Graph's under /v1.0 or /beta, the sandbox's own under /_sandbox.
 */
const SIGN_IN_ROUTE = /^\/(?!v1\.0\/|beta\/|_sandbox\/)[^/?]+\/(oauth2|discovery|v2\.0)\//i;

/**
 * The answer to a request the model failed on, no internals in it. Graph's routes get Graph's 500
 * envelope (generalException, https://learn.microsoft.com/en-us/graph/errors); Entra's get the
 * OAuth error body a token endpoint sends (RFC 6749 §5.2; server_error, "The server encountered
 * an unexpected error. Retry the request.", with Entra's error_codes, timestamp, trace and
 * correlation ids: https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes), which a client
 * of the token endpoint reads and Graph's envelope is not.
 */
export function modelFaultAnswer(request: SimRequest, error: unknown, log: FaultLog | undefined): SimResponse {
  const path = request.url.split('?', 1)[0] ?? '/';
  // The route without its query (a SAS's sig or a code could ride there), scrubbed all the same.
  const route = scrubString(`${request.method.toUpperCase()} ${path}`);
  const fault = {
    event: 'sandbox.tenant.modelFault',
    route,
    error: {
      name: error instanceof Error ? error.name : typeof error,
      message: scrubString(error instanceof Error ? error.message : String(error)),
    },
  };
  const text = 'the simulated tenant failed on a request: answered 500 (a fault in the simulator, not the service)';
  if (log) log.error(fault, text);
  else process.stderr.write(`${JSON.stringify({ level: 'error', ...fault, msg: text })}\n`);
  if (SIGN_IN_ROUTE.test(path)) {
    // AADSTS50000, "There's an issue with the sign-in service" (reference-error-codes).
    return FAULT_ENVELOPE.json(
      request,
      500,
      oauthErrorBody(
        'server_error',
        50000,
        'The server encountered an unexpected error. Retry the request.',
        Date.now(),
      ),
    );
  }
  return FAULT_ENVELOPE.error(request, 500, 'generalException', 'An unspecified error has occurred.');
}
