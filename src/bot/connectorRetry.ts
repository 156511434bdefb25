// Which Bot Connector calls may be sent again inside the client, and when.
//
// botbuilder's ConnectorClient is a @azure/core-client ServiceClient whose pipeline holds the
// Azure SDK's "defaultRetryPolicy" (added in phase "Retry" by @azure/core-rest-pipeline's
// createPipelineFromOptions): up to 3 more sends after a 408, a 5xx other than 501/505, a reset
// or timeout, or a 429/503 with Retry-After. A POST that Teams accepted but whose answer was lost
// (a reset, a gateway's 504) is then posted again and Teams shows two cards, while the caller
// hears of one. So that policy no longer sees a POST:
// - a proactive POST (notification cards, channel alerts) is sent once: the delivery and alert
//   workers are the one retry path, see every 429, 5xx and network failure, and honour
//   Retry-After through the outbox;
// - a turn POST (the reply to an inbound activity) is sent again only after a 429 (or a 412, a
//   precondition that kept it from being applied, RFC 9110 §15.5.13), once, after its
//   Retry-After (or, without one, a backoff of about a second: the rate-limit page asks for
//   exponential backoff with jitter and names no Retry-After), and only when the wait fits the
//   call's deadline. Teams answers 429 to a request it throttled, that is did not process
//   (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit);
//   that page says nothing of 503, so a 503 is not taken as "not processed" and is not retried.
//   It is also sent again, once, after a failure that sent nothing (a DNS lookup that failed for
//   now, a refused connection), never after one that may have (a reset, EPIPE, a timeout);
// - every other call (a PUT that edits a card in place, a GET of a roster entry, a DELETE) is
//   idempotent: sending it again cannot show anything twice, so it is sent again (up to 3 times)
//   after a broken connection or an answer Teams' table of status codes marks for retry (412, 429,
//   502, 503, 504), and after no other: the table says the "bot must avoid retrying status codes
//   that aren't specified" (500 ServiceError is "Retry: No"), where the SDK's retry also took 408
//   and every other 5xx.
//   https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
//
// botframework-connector 4.23 offers no option for this: ServiceClientOptions.noRetryPolicy is
// declared but ignored by botbuilder-stdlib's ServiceClientContext, and the connector factory
// replaces any requestPolicyFactories. The pipeline itself is core-client's public
// ServiceClient.pipeline, held in ServiceClientContext's `client` field (private in its typings
// only); it is changed here with the pipeline's own public removePolicy/addPolicy. If a later
// botbuilder moves it, building a client fails loudly rather than posting cards twice.

import type { ConnectorClient } from 'botframework-connector';
import { Pipeline, PipelinePolicy, RetryStrategy, retryPolicy } from '@azure/core-rest-pipeline';
import { parseRetryAfter } from '../domain/retryAfter';

/** What a connector client is for: its retry follows (see above). */
export type ConnectorKind = 'proactive' | 'turn';

/** The name of the turn clients' one retry policy. */
const TURN_THROTTLING_RETRY_POLICY = 'governanceTurnThrottlingRetry';
/** The name of the policy that sends POSTs past the SDK's retry. */
const CONNECTOR_RETRY_POLICY = 'governanceConnectorRetry';

/** The answers to a turn reply that say Teams did not take it: 429, a request it throttled
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit), and 412, a
 * precondition that prevented "the request method from being applied" (RFC 9110 §15.5.13), which
 * Teams' status table marks for retry. */
const NOT_TAKEN: ReadonlySet<number> = new Set([412, 429]);

/** One more send of a throttled turn reply at most ("after one wait", README "How a command runs"). */
const MAX_THROTTLED_RETRIES = 1;

/** Sends of an idempotent call after its first, as the SDK's own retry allowed. */
const MAX_IDEMPOTENT_RETRIES = 3;
/** The answers Teams' status code table marks "Retry: Yes" (403 InvalidBotApiHost asks for another
 * host, not the same request again). */
const LISTED_FOR_RETRY = new Set([412, 429, 502, 503, 504]);
/** Failures that come before any connection exists, so nothing of the request reached Teams: a
 * DNS lookup that failed for now (EAI_AGAIN), a connection refused. A turn reply that met one is
 * sent again like a throttled one; one that met a reset, EPIPE or a timeout may have been shown. */
const NOTHING_SENT = new Set(['EAI_AGAIN', 'ECONNREFUSED']);
/** The wait before sending a reply again after such a failure. */
const NOTHING_SENT_WAIT_MS = 500;

/** A broken connection: core-rest-pipeline's own list, the socket's code, and its fallback code.
 * An idempotent call may be sent again whether or not the first send reached Teams (RFC 9110
 * §9.2.2), so these are all the same to it: EPIPE (the connector closed the socket while the
 * request was being written, as when an idle keep-alive connection is closed just as it is
 * reused) and EAI_AGAIN (a temporary DNS failure: nothing was sent) as much as a reset.
 * https://nodejs.org/api/errors.html#common-system-errors */
const CONNECTION_FAILURES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ENOTFOUND',
  'ENOENT',
  'EPIPE',
  'EAI_AGAIN',
  'REQUEST_SEND_ERROR',
]);

/** Keeps the SDK's retry from `client`'s POSTs: none for a proactive client, the 429-only one for a
 * turn client; every other method keeps the SDK's retry. */
export function fitRetry<C extends Pick<ConnectorClient, 'sendOperationRequest'>>(
  client: C,
  kind: ConnectorKind,
  deadlineMs: number,
): C {
  const pipeline = pipelineOf(client);
  // Every policy of phase "Retry": in core-rest-pipeline 1.x that is defaultRetryPolicy alone.
  const sdk = pipeline.removePolicy({ phase: 'Retry' });
  if (sdk.length === 0) throw new Error('The Bot Connector client has no retry policy to remove.');
  const throttled = turnThrottlingRetryPolicy(deadlineMs);
  pipeline.addPolicy(
    {
      name: CONNECTOR_RETRY_POLICY,
      sendRequest: (request, next) => {
        if (request.method !== 'POST') {
          const idempotent = retryPolicy([listedAnswersRetry(deadlineMs)], { maxRetries: MAX_IDEMPOTENT_RETRIES });
          return idempotent.sendRequest(request, next);
        }
        // A typing indicator is best effort: sent once, never again after a wait (withTyping).
        return kind === 'turn' && !isTyping(request.body) ? throttled.sendRequest(request, next) : next(request);
      },
    },
    { phase: 'Retry' },
  );
  return client;
}

function pipelineOf(client: object): Pipeline {
  const inner = (client as unknown as { client?: { pipeline?: Partial<Pipeline> } }).client;
  const pipeline = inner?.pipeline;
  if (typeof pipeline?.removePolicy !== 'function' || typeof pipeline.addPolicy !== 'function') {
    throw new Error('The Bot Connector client has no pipeline to set its retry on.');
  }
  return pipeline as Pipeline;
}

/**
 * Sends a request again only after a 429 or a 412, waiting its Retry-After (seconds or HTTP-date) or, when
 * it has none, a backoff (backoffMs), or after a failure that sent nothing (NOTHING_SENT, after a
 * short wait), and only when the wait ends
 * within `deadlineMs` of the request's first send; otherwise the 429 goes to the caller with its
 * Retry-After at once instead of turning into a timeout. Other errors (a reset, EPIPE, a timeout)
 * and every other status go to the caller unchanged. The clock starts when
 * the request reaches this policy, after the token was acquired: a slow token can make the
 * call's own deadline end a wait early, never a second send after it.
 */
function turnThrottlingRetryPolicy(deadlineMs: number, now: () => number = Date.now): PipelinePolicy {
  return {
    name: TURN_THROTTLING_RETRY_POLICY,
    sendRequest: (request, next) => {
      const started = now();
      const throttled: RetryStrategy = {
        name: 'teamsThrottledRequest',
        retry: ({ response, responseError }) => {
          const unsent = !response && NOTHING_SENT.has(responseError?.code ?? '');
          if (!NOT_TAKEN.has(response?.status ?? 0) && !unsent) return { skipStrategy: true };
          // A 429 with no readable Retry-After waits a backoff: Teams' rate-limit page asks for an
          // exponential backoff with jitter and names no Retry-After.
          const waitMs = unsent ? NOTHING_SENT_WAIT_MS : (askedWait(response!.headers, now()) ?? backoffMs(0));
          if (now() - started + waitMs >= deadlineMs) return { skipStrategy: true };
          return { retryAfterInMs: waitMs };
        },
      };
      // The library's retry loop (it waits on the request's abort signal, so the deadline ends a wait).
      return retryPolicy([throttled], { maxRetries: MAX_THROTTLED_RETRIES }).sendRequest(request, next);
    },
  };
}

/**
 * An idempotent call is sent again after a broken connection or an answer Teams lists for retry,
 * waiting its Retry-After when readable, else 1, 2, 4 s (with jitter); any other answer goes to
 * the caller at once. A deadline or shutdown (an abort) is never retried: the policy rethrows it.
 * A wait that would end past `deadlineMs` from the first send is not begun: the deadline would
 * only cut it, and the caller would hear of a timeout instead of the answer (a 429 and its
 * Retry-After), after holding the turn that long.
 */
function listedAnswersRetry(deadlineMs: number, now: () => number = Date.now): RetryStrategy {
  const started = now();
  return {
    name: 'teamsListedAnswers',
    retry: ({ retryCount, response, responseError }) => {
      const status = response?.status ?? responseError?.statusCode;
      if (status !== undefined && !LISTED_FOR_RETRY.has(status)) return { skipStrategy: true };
      if (status === undefined && !CONNECTION_FAILURES.has(responseError?.code ?? '')) return { skipStrategy: true };
      const asked = response ? askedWait(response.headers, now()) : null;
      const waitMs = asked ?? backoffMs(retryCount);
      if (now() - started + waitMs >= deadlineMs) return { skipStrategy: true };
      return { retryAfterInMs: waitMs };
    },
  };
}

/** The wait before send `retryCount + 2` when Teams named none: 1, 2, 4 s with ±20% jitter
 * ("an exponential backoff with a random jitter", https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit). */
function backoffMs(retryCount: number): number {
  return 1000 * 2 ** retryCount * (0.8 + Math.random() * 0.4);
}

/** The wait a Retry-After asks for. A date counts from the answer's own Date (both Teams' clock,
 * RFC 9110 §10.2.3): a local clock ahead of Teams' would otherwise shorten the wait (a send again
 * into the throttle), one behind it lengthen the wait past the deadline (the 429 to the caller). */
function askedWait(headers: { get(name: string): string | undefined }, now: number): number | null {
  return parseRetryAfter(headers.get('retry-after'), now, headers.get('date'));
}

/** Whether a serialized activity (the body at the retry phase) is a typing indicator. */
function isTyping(body: unknown): boolean {
  if (typeof body !== 'string' || !body.includes('"typing"')) return false;
  try {
    return (JSON.parse(body) as { type?: unknown } | null)?.type === 'typing';
  } catch {
    return false;
  }
}
