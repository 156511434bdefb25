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
// A secret written as a setting or a printed object rather than a form or JSON, its name in any
// case style (client_secret, clientSecret, MicrosoftAppPassword, AAD_APP_CLIENT_SECRET,
// SECRET_MicrosoftAppPassword, MSAL's cache member "secret"): spaces around "=", a ":"
// (util.inspect's `{ clientSecret: 'x' }`, "AccessToken: x"), the name or the value quoted. Found
// as a name and its separator, the name then judged (isSecretName); the value is read only after
// a secret's name. A quoted value is taken up to its closing quote, or to the end of the line when
// the line lost it; a plain one up to a space or a separator. A value already redacted by the
// patterns above is left as it is, and so is a `<placeholder>` (a start-up refusal's hint
// "set MicrosoftAppPassword=<…>") and an object or a list (its members are judged each: MSAL's
// cache holds a "secret" inside an "AccessToken"). A name is a run of name characters not
// preceded by one, so each run is tried once: linear time.
const NAMED_HEAD_RE = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]+)(\\?['"]?\s*[:=]\s*)/g;
const NAMED_VALUE_RE =
  /(?!\\?['"]?\[redacted\]|<[^<>\n]*>|[{[])(\\?'[^'\n]*'|\\?"[^"\n]*"|\\?['"][^\n]*|[^\s'"&,;}\]\\]+)/y;
// A name, lower-cased without separators, that names a secret: one ending in a secret's word
// ("Value" after it still the secret), a token's kind (not nextToken, skipToken, tokenType), or
// the SECRET_ prefix the configuration's fallback names take. Not "code": a status or error code.
// Not a connection string's name: its value's key or SAS is redacted by its own name (AccountKey=,
// SharedAccessSignature=), and a refusal names it followed by ": " and words.
const SECRET_NAME_END_RE =
  /(secret|password|assertion|accountkey|sastoken|sassignature|sharedaccesssignature|sharedaccesskey|accesstoken|refreshtoken|idtoken|ssotoken|usertoken|codeverifier|privatekey)(value)?$/;
function isSecretName(name: string): boolean {
  if (name.startsWith('SECRET_')) return true;
  const n = name.toLowerCase().replace(/[_.-]/g, '');
  return n === 'sig' || SECRET_NAME_END_RE.test(n);
}
// A run of token characters (dots included): each is looked at once, so a long string costs
// linear time (a JWT pattern tried at every "eyJ" of a long dotless run would cost its square).
const TOKEN_RUN_RE = /[A-Za-z0-9_.-]+/g;
const REDACTED = '[redacted]';
// Each pattern above but the named one (its sign: mayHoldNamed) needs one of these (a JWT "eyJ",
// Bearer, Basic or SharedKey, "=" or "%3D", a quote): a string with none and no ": ", most of what
// is logged (ids, dates, event names), has nothing to scrub.
const MAY_HOLD_SECRET = /eyJ|bearer|basic|sharedkey|=|%3d|"/i;

// Each pattern's own sign: a pattern whose sign is not in the string cannot match, so it is not
// tried (a Graph diagnostic header, JSON with no "=" or "eyJ", runs only the JSON pattern).
const JWT_SIGN = /eyJ/;
const BEARER_SIGN = /bearer|basic|sharedkey/i;
const FORM_SIGN = /=|%3d/i;

// The sign of a named secret: the last word of a secret's name, in any case and whatever
// separators come before it ("Value" after it still the secret), then its separator; or the
// SECRET_ prefix. A line that only mentions a token (sso.token exchanged, expiresOn: …) has none.
const NAMED_SIGN_RE =
  /(?:secret|password|token|assertion|key|sig|signature|verifier)[_.-]*(?:value[_.-]*)?\\?['"]?\s*[:=]|secret_/i;

/** Whether a named secret may be in the string (most strings have no sign of one). A value can
 * follow its name's separator with no space (`password='x'`, `password:x`). */
function mayHoldNamed(s: string): boolean {
  return NAMED_SIGN_RE.test(s);
}

/** Each secret's value written after its name and a separator, redacted. */
function namedScrubbed(s: string): string {
  let out = '';
  let from = 0;
  NAMED_HEAD_RE.lastIndex = 0;
  for (let m = NAMED_HEAD_RE.exec(s); m !== null; m = NAMED_HEAD_RE.exec(s)) {
    const name = m[1] ?? '';
    if (!isSecretName(name)) continue;
    NAMED_VALUE_RE.lastIndex = NAMED_HEAD_RE.lastIndex;
    const value = NAMED_VALUE_RE.exec(s)?.[1];
    if (value === undefined) continue;
    out += s.slice(from, m.index) + namedRedacted(name + (m[2] ?? ''), value);
    from = NAMED_HEAD_RE.lastIndex + value.length;
    NAMED_HEAD_RE.lastIndex = from;
  }
  return from === 0 ? s : out + s.slice(from);
}

export function scrubString(s: string): string {
  if (!MAY_HOLD_SECRET.test(s)) {
    // No "=" nor quote: only a name and ":" can still be there, and most strings have no ":".
    return s.includes(':') && mayHoldNamed(s) ? namedScrubbed(s) : s;
  }
  let out = s;
  if (JWT_SIGN.test(out)) out = out.replace(TOKEN_RUN_RE, scrubJwts);
  if (BEARER_SIGN.test(out)) out = out.replace(BEARER_RE, `$1 ${REDACTED}`);
  if (FORM_SIGN.test(out)) out = out.replace(FORM_SECRET_RE, `$1$2${REDACTED}`);
  if (out.includes('"')) out = out.replace(JSON_SECRET_RE, `$1${REDACTED}`);
  if (mayHoldNamed(out)) out = namedScrubbed(out);
  return out;
}

/** A named secret with its value redacted, a quoted value's quotes (escaped or not) kept. */
function namedRedacted(head: string, value: string): string {
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
