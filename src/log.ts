// Structured JSON logging (pino) to stdout, one line per event. Tokens, secrets and Authorization
// headers never leave this process: known keys are censored and any JWT-shaped or bearer string
// is scrubbed wherever it appears, messages and error stacks included.

import pino, { Logger } from 'pino';
import type { AuditLine } from './domain/governance';

export type { Logger };

const SECRET_KEY_RE =
  /^(authorization|proxy-authorization|x-identity-header|cookie|set-cookie|token|access_?token|id_?token|refresh_?token|assertion|client_?secret|password|secret|microsoftapppassword|aad_app_client_secret|identity_header|usertoken|ssotoken|app_?password|client_?assertion|obo_?assertion|code_?verifier|private_?key|sas_?token|accountkey|account_key|sharedaccesssignature|sharedaccesskey|sig|connectionstring|storage_connection_string)$/i;
// A longer name that ends in a secret's word names a secret too (storageAccountKey, sasSignature,
// botAppPassword, clientSecretValue: "Value" after the word is still the secret), whatever its
// separators. Not the words that name a secret's kind, id or lifetime: skipToken, key, keyId,
// tokenType, expiresOn, signatureAlgorithm are written.
const SECRET_SUFFIX_RE =
  /(accountkey|secret|password|connectionstring|sastoken|sassignature|sharedaccesssignature|sharedaccesskey|assertion)(value)?$/;

// The verdict per key name, kept: every logged object's keys are judged, and the names are few
// (the code's own), so two regular expressions and a lower-cased copy per key and line would be
// work repeated on every turn. Bounded, for names that come from data.
const keyVerdicts = new Map<string, boolean>();
const MAX_KEY_VERDICTS = 2048;

function isSecretKey(k: string): boolean {
  const known = keyVerdicts.get(k);
  if (known !== undefined) return known;
  const secret = SECRET_KEY_RE.test(k) || SECRET_SUFFIX_RE.test(k.toLowerCase().replace(/[_.-]/g, ''));
  if (keyVerdicts.size < MAX_KEY_VERDICTS) keyVerdicts.set(k, secret);
  return secret;
}
// Azure Storage's Shared Key scheme names the account, then the request's signature.
const BEARER_RE = /\b(Bearer|Basic|SharedKey(?:Lite)?)\s+(?:[a-z0-9]+:)?[A-Za-z0-9._~+/=-]{8,}/gi;
// A secret written as a form field or query parameter inside a string (an opaque refresh token, a
// client secret, an authorization code: none of them JWT-shaped), as a token request's body or URL
// quoted in an error message would carry it, `=` written plain or URL-encoded (%3D, with %26
// between fields, as a URL quoted inside another URL has it). A name that only ends in one of
// those words is not one (errorCode=, error_code=). Azure Storage's: a SAS's signature is its `sig`
// query parameter, a connection string's key `AccountKey=` and its SAS `SharedAccessSignature=`
// (`;` ends a connection string's value). `code` is an authorization code only as a
// query parameter or form field (after ?, &, # or at the start of a line, where a quoted form body
// starts): "status code=400" or "error code=Forbidden" is useful text.
const FORM_NAMES =
  'client_secret|client_assertion|assertion|refresh_token|access_token|id_token|code_verifier|password|sig|accountkey|sharedaccesssignature|sharedaccesskey';
const FORM_SECRET_RE = new RegExp(
  `((?:(?<![A-Za-z0-9_])|(?<=%[0-9A-Fa-f]{2}))(?:${FORM_NAMES})|(?:^|[?&#]|%26|%3F|%23)code)(=|%3D)((?:(?!%26)[^&\\s"',;])+)`,
  'gim',
);
// The same secrets as JSON members (a token endpoint's answer quoted in a message, or quoted again,
// its quotes escaped). Not "code": Graph's error body names its own error code so.
const JSON_SECRET_RE = new RegExp(`(\\\\?"(?:${FORM_NAMES})\\\\?"\\s*:\\s*\\\\?")([^"\\\\]+)`, 'gi');
// The same secrets written as a setting or a printed object rather than a form or JSON: spaces
// around "=", a ":" (util.inspect's `{ client_secret: 'x' }`, "AccountKey: x"), the name or the
// value in single quotes. A quoted value is taken up to its closing quote, or to the end of the line
// when the line lost it; a plain one up to a space or a separator. A value already redacted by the
// patterns above is left as it is.
const NAMED_SECRET_RE = new RegExp(
  `((?<![A-Za-z0-9_])(?:${FORM_NAMES})\\\\?['"]?\\s*[:=]\\s*)(?!\\\\?['"]?\\[redacted\\])(\\\\?'[^'\\n]*'|\\\\?"[^"\\n]*"|\\\\?['"][^\\n]*|[^\\s'"&,;}\\]\\\\]+)`,
  'gi',
);
// A run of token characters (dots included): each is looked at once, so a long string costs
// linear time (a JWT pattern tried at every "eyJ" of a long dotless run would cost its square).
const TOKEN_RUN_RE = /[A-Za-z0-9_.-]+/g;
const REDACTED = '[redacted]';
// Each pattern above but NAMED_SECRET_RE (its sign: mayHoldNamed) needs one of these (a JWT "eyJ",
// Bearer, Basic or SharedKey, "=" or "%3D", a quote): a string with none and no ": ", most of what
// is logged (ids, dates, event names), has nothing to scrub.
const MAY_HOLD_SECRET = /eyJ|bearer|basic|sharedkey|=|%3d|"/i;

// Each pattern's own sign: a pattern whose sign is not in the string cannot match, so it is not
// tried (a Graph diagnostic header, JSON with no "=" or "eyJ", runs only the JSON pattern).
const JWT_SIGN = /eyJ/;
const BEARER_SIGN = /bearer|basic|sharedkey/i;
const FORM_SIGN = /=|%3d/i;

const SECRET_NAME_RE = new RegExp(`(?<![A-Za-z0-9_])(?:${FORM_NAMES})`, 'i');

/** The signs of NAMED_SECRET_RE: a ":" or "=", then one of the names (most strings have none). A
 * value can follow either with no space (`password='x'`, `password:x`). */
function mayHoldNamed(s: string): boolean {
  return NAMED_SIGN.test(s) && SECRET_NAME_RE.test(s);
}
const NAMED_SIGN = /[:=]/;

export function scrubString(s: string): string {
  if (!MAY_HOLD_SECRET.test(s)) {
    // No "=" nor quote: only a name and ":" can still be there, and most strings have no ":".
    return s.includes(':') && mayHoldNamed(s) ? s.replace(NAMED_SECRET_RE, namedRedacted) : s;
  }
  let out = s;
  if (JWT_SIGN.test(out)) out = out.replace(TOKEN_RUN_RE, scrubJwts);
  if (BEARER_SIGN.test(out)) out = out.replace(BEARER_RE, `$1 ${REDACTED}`);
  if (FORM_SIGN.test(out)) out = out.replace(FORM_SECRET_RE, `$1$2${REDACTED}`);
  if (out.includes('"')) out = out.replace(JSON_SECRET_RE, `$1${REDACTED}`);
  if (mayHoldNamed(out)) out = out.replace(NAMED_SECRET_RE, namedRedacted);
  return out;
}

/** A NAMED_SECRET_RE match with its value redacted, a quoted value's quotes (escaped or not) kept. */
function namedRedacted(_match: string, head: string, value: string): string {
  const open = /^\\?['"]/.exec(value)?.[0];
  if (open === undefined) return `${head}${REDACTED}`;
  const quote = open.slice(-1);
  // A value whose closing quote the line lost is redacted to the end of the line, and ends so.
  if (value.length === open.length || !value.endsWith(quote)) return `${head}${open}${REDACTED}`;
  const close = value.endsWith(`\\${quote}`) ? open : quote;
  return `${head}${open}${REDACTED}${close}`;
}

/** Every JWT (eyJ + 4 or more characters, a dot, 4 or more, a dot, any) in one run of token
 * characters, found segment by segment between the dots. */
function scrubJwts(run: string): string {
  if (!run.includes('eyJ')) return run;
  const segs = run.split('.');
  const out: string[] = [];
  const at = (i: number): string => segs[i] ?? '';
  for (let i = 0; i < segs.length;) {
    const seg = at(i);
    const start = seg.indexOf('eyJ');
    if (start >= 0 && seg.length - start >= 7 && i + 2 < segs.length && at(i + 1).length >= 4) {
      out.push(seg.slice(0, start) + REDACTED);
      i += 3;
    } else {
      out.push(seg);
      i += 1;
    }
  }
  return out.join('.');
}

/** Deep copy with secrets removed. Handles Errors and cycles. */
export function scrub(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: scrubString(value.message) };
    if (value.stack) out.stack = scrubString(value.stack);
    const { code, statusCode, cause } = value as { code?: unknown; statusCode?: unknown; cause?: unknown };
    if (code !== undefined) out.code = scrub(code, seen);
    // A connector or HTTP error's status, and the error that caused this one (scrubbed the same
    // way): never the request or response objects, which carry headers.
    if (typeof statusCode === 'number') out.statusCode = statusCode;
    if (cause !== undefined) out.cause = scrub(cause, seen);
    return out;
  }
  // JSON writes such a value as what its toJSON returns (a Date its time, a URL its address):
  // copied key by key it would be {}, and an own toJSON copied along would write the original.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    try {
      return scrub(toJSON.call(value), seen);
    } catch {
      return '[unserializable]';
    }
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) && v !== null && v !== undefined && v !== '' ? REDACTED : scrub(v, seen);
  }
  return out;
}

/**
 * The call's arguments with each string formatted into the message scrubbed on its own (a
 * `code=` at its start is a form field's, not once it follows other words), and each value pino
 * writes into it as JSON given as its scrubbed copy, its secret-named keys censored as the line's
 * object's are. The message itself is left as written: the msg serializer scrubs it once
 * formatted. Scrubbed before, a placeholder that is a secret's value ("sig=%s") would be gone and
 * the next placeholder would take the secret.
 */
function valuesScrubbed(args: readonly unknown[]): unknown[] {
  // Where pino reads the message: after an object (null included) or an undefined, else first.
  const at = typeof args[0] === 'object' || args[0] === undefined ? 1 : 0;
  if (args.length <= at + 1) return args as unknown[];
  const asJson = valuesAsJson(args[at], args.length - at - 1);
  return args.map((a, i) => {
    if (i < at) return a;
    if (i === at) return typeof a === 'string' ? a : scrub(a);
    if (typeof a === 'string') return scrubString(a);
    return asJson[i - at - 1] ? scrub(a) : a;
  });
}

/** Which of `count` values pino's quick-format writes as JSON into `message`: each `%` followed by
 * another character than `%` takes the next value, %j, %o and %O as JSON; a message that is no
 * string writes them all as JSON. */
function valuesAsJson(message: unknown, count: number): boolean[] {
  if (typeof message !== 'string') return new Array<boolean>(count).fill(true);
  const asJson: boolean[] = [];
  for (let i = 0; i < message.length - 1 && asJson.length < count; i++) {
    if (message[i] !== '%') continue;
    const kind = message[i + 1];
    if (kind === '%') {
      i++;
      continue;
    }
    asJson.push(kind === 'j' || kind === 'o' || kind === 'O');
  }
  return asJson;
}

/** The message pino would take as msg from a call with an object alone: an Error's, or its `err`'s. */
function errorMessageOf(arg: unknown): string | undefined {
  const err = arg instanceof Error ? arg : (arg as { err?: unknown } | null)?.err;
  return err instanceof Error ? err.message : undefined;
}

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { service: 'governance-bot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => scrub(obj) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const clean = valuesScrubbed(args) as Parameters<typeof method>;
          // With no message, pino writes an error's own message as msg, outside the object the log
          // formatter scrubs: given here, scrubbed.
          const taken = clean.length === 1 ? errorMessageOf(clean[0]) : undefined;
          if (taken !== undefined)
            return method.apply(this, [clean[0], scrubString(taken)] as Parameters<typeof method>);
          method.apply(this, clean);
        },
      },
      // pino passes every line's message through the serializer of its key (msg), whatever made it:
      // a call's string, an object formatted into it (%j, %o), or the message pino takes itself
      // from the `err` of an object given alone, which need not be an Error.
      serializers: { err: (e: unknown) => scrub(e), msg: (m: unknown) => scrub(m) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  // A child's bindings go into each of its lines, serialized once when the child is made and
  // never through the log formatter: given to pino scrubbed. Children are made from this logger's
  // prototype chain, so a grandchild's are too.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, scrub(bindings) as typeof bindings, childOptions);
  } as typeof child;
  return logger;
}

/** The audit line of contract §6: one JSON line on stdout per attempted operation. */
export function auditTo(logger: Logger): (line: AuditLine) => void {
  return (line) => logger.info(line, 'governance.action');
}
