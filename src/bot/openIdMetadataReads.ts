// The channel's signing keys are read with a deadline of their own, one read at a time per
// metadata URL. botframework-connector reads them (OpenIdMetadata.refreshCache: the OpenID
// metadata, then its jwks_uri) with node-fetch and no timeout, and starts a new read for every
// activity that finds the keys stale. With a metadata or keys host that takes the connection and
// never answers, the adapter's authentication deadline answers each activity (a 500, so the channel
// retries), but each one left a read hung for as long as the socket lived: one open socket and one
// pending read more per retried activity, without end. Here a read is abandoned, and its socket
// closed, at the deadline; an activity that arrives while a read is under way waits for that read
// instead of starting another; and a failed read is not remembered, so the next activity reads
// again and the bot recovers as soon as the host answers.
// The library's getKey decides when to read (keys older than a day, or an unknown key id at most
// once an hour) and finds the key afterwards; only the read itself is replaced.
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#step-2-get-the-openid-metadata-document

import { StatusCodes } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import { OpenIdMetadata } from 'botframework-connector/lib/auth/openIdMetadata';
import { AUTHENTICATION_DEADLINE_MS } from './connectorDeadline';

/** The library's private state the read fills in (botframework-connector 4.23). */
interface MetadataState {
  readonly url: string;
  readonly proxySettings?: unknown;
  lastUpdated: number;
  keys: unknown;
}

type Refresh = (this: MetadataState) => Promise<void>;

const LATE = "The channel's signing keys did not arrive in time.";
const UNREADABLE = "The channel's signing keys could not be read.";

let readDeadlineMs = AUTHENTICATION_DEADLINE_MS;
const underWay = new WeakMap<MetadataState, Promise<void>>();
let installed = false;

/**
 * Replaces the library's read of the signing keys, process-wide (the library keeps one metadata
 * object per URL for the process), with one bounded by `deadlineMs`. Called again, it only sets
 * the deadline: the last adapter built decides it.
 */
export function boundSigningKeyReads(deadlineMs: number = AUTHENTICATION_DEADLINE_MS): void {
  readDeadlineMs = deadlineMs;
  if (installed) return;
  const proto = OpenIdMetadata.prototype as unknown as { refreshCache?: Refresh };
  const original = proto.refreshCache;
  if (typeof original !== 'function') {
    // A library version without this read: fail at start, not with hung reads in production.
    throw new Error('botframework-connector no longer has OpenIdMetadata.refreshCache; bound its key reads anew.');
  }
  proto.refreshCache = function (this: MetadataState): Promise<void> {
    // Through a proxy the library's own read (its agent) is kept; the bot never configures one.
    if (this.proxySettings) return original.call(this);
    let read = underWay.get(this);
    if (!read) {
      read = readSigningKeys(this, readDeadlineMs).finally(() => underWay.delete(this));
      underWay.set(this, read);
    }
    return read;
  };
  installed = true;
}

/** Reads the metadata, then its key set, both within `ms`; fills in the keys only when both arrived. */
async function readSigningKeys(state: MetadataState, ms: number): Promise<void> {
  const signal = AbortSignal.timeout(ms);
  try {
    const metadata = await readJson(state.url, signal);
    const jwksUri = (metadata as { jwks_uri?: unknown } | null)?.jwks_uri;
    if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri))
      throw serverFault('The OpenID metadata names no key set.');
    const keys = ((await readJson(jwksUri, signal)) as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(keys)) throw serverFault('The key set lists no keys.');
    state.keys = keys;
    state.lastUpdated = Date.now();
  } catch (e) {
    if (e instanceof AuthenticationError) throw e;
    // A server fault either way (the channel sends the activity again); no URL in the message.
    throw serverFault(signal.aborted ? LATE : UNREADABLE);
  }
}

async function readJson(url: string, signal: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (!res.ok) {
    await res.body?.cancel();
    throw serverFault(`${UNREADABLE} (HTTP ${res.status})`);
  }
  return res.json();
}

const serverFault = (message: string) => new AuthenticationError(message, StatusCodes.INTERNAL_SERVER_ERROR);
