// How single configuration values are read and checked (contract §2): the SECRET_ fallback, and
// the shapes of tenant ids and URLs. readConfig in config.ts puts them together.

import { isGuid } from './domain/operations';
import type { ConfigKey } from './config';

export type Env = Readonly<Record<string, string | undefined>>;

/** The value of a listed variable; SECRET_<NAME> is the fallback, the plain name wins. */
export function configValue(env: Env, key: ConfigKey): string | undefined {
  const plain = env[key];
  if (plain !== undefined && plain.trim() !== '') return plain.trim();
  const secret = env[`SECRET_${key}`];
  if (secret !== undefined && secret.trim() !== '') return secret.trim();
  return undefined;
}

/** The identity values env/.env.dev.example gives as stand-ins. */
const STAND_IN_KEYS: readonly ConfigKey[] = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppTenantId',
  'AAD_APP_CLIENT_ID',
  'AAD_APP_CLIENT_SECRET',
  'AAD_APP_TENANT_ID',
];

/** The problem when some of them were copied from env/.env.dev.example and never filled in: its
 * `<…>` placeholders (no id, no secret); null otherwise. An all-zero GUID is not refused: it is a
 * well-formed id, and the contract refuses only malformed values. */
export function standInProblem(env: Env): string | null {
  const standIns = STAND_IN_KEYS.filter((key) => {
    const v = configValue(env, key);
    return v !== undefined && /^<[^]*>$/.test(v);
  });
  if (standIns.length === 0) return null;
  const one = standIns.length === 1;
  return `${standIns.join(', ')} still hold${one ? 's' : ''} the stand-in of env/.env.dev.example (a <…> placeholder): set the real value${one ? '' : 's'}.`;
}

const TENANT_RE = /^[a-z0-9][a-z0-9.-]{0,251}\.[a-z]{2,}$/i;

/** An Entra tenant id: a GUID or a domain name. */
export function isTenant(v: string): boolean {
  return isGuid(v) || TENANT_RE.test(v);
}

/** How a refusal quotes a URL-like value: as given, unless it may hold a secret (a user name and
 * password before "@", a signature in a query): then not at all. A start-up refusal goes to the
 * console and the platform's logs. */
export function quotedUrl(v: string): string {
  if (/[@?#]/.test(v)) return '(the value is not shown: it holds "@", "?" or "#", which may carry a secret)';
  // Something that is not a URL at all may be a secret pasted into the wrong variable.
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s;]+$/i.test(v)) return '(the value is not shown: it is not a URL)';
  return `(got "${v.length > 200 ? `${v.slice(0, 200)}…` : v}")`;
}

/** How a refusal quotes a value that is not a URL: as given when it is short and plain (a typo to
 * see), else not at all: a secret set in the wrong variable (Entra's client secrets are 40
 * characters with "~", a storage key 88 of base64) must not reach the console or the logs. */
export function quotedValue(v: string): string {
  if (/^[A-Za-z0-9 ._-]{1,24}$/.test(v)) return `(got "${v}")`;
  return '(the value is not shown: it may be a secret set in the wrong variable)';
}

/** An Entra sign-in host: an https origin with no path (MSAL puts the tenant after it); null otherwise. */
export function httpsHost(v: string): string | null {
  const root = httpsRoot(v);
  return root !== null && new URL(root).pathname === '/' ? root : null;
}

/** An https root with no query, fragment or credentials, without a trailing slash; null otherwise. */
export function httpsRoot(v: string): string | null {
  try {
    // A bare "?" or "#" is an empty query or fragment to the parser, yet it stays in the text.
    if (/[?#]/.test(v)) return null;
    const u = new URL(v);
    if (u.protocol !== 'https:' || u.username || u.password) return null;
    return u.toString().replace(/\/+$/, '');
  } catch {
    return null;
  }
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An https origin (http only on loopback), without a path: where the sign-in pages live. */
export function publicOriginOf(v: string): string | null {
  try {
    const u = new URL(v);
    const secure = u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname));
    if (!secure || u.pathname !== '/' || u.search || u.hash || u.username || u.password) return null;
    return u.origin;
  } catch {
    return null;
  }
}
