// Where a turn's CPU time goes: reads a V8 .cpuprofile and gives every sample to the innermost
// frame on its stack that belongs to a known area (so crypto under JWT validation counts as JWT
// validation, JSON.stringify under the logger as logging). Samples with no such frame are runtime.

import * as fs from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Compiling and loading modules: paid once at start-up, not by any turn. */
export const MODULE_LOADING = 'module loading (start-up)';

/** Areas in the order they are tried on one frame; the first whose pattern matches the URL wins. */
const AREAS: ReadonlyArray<readonly [string, RegExp]> = [
  // Compiling modules at start-up is no turn's cost; without this it counts as the code that required them.
  [MODULE_LOADING, /^node:internal\/modules\//],
  [
    'JWT validation (inbound Bot Framework and intake tokens)',
    /botframework-connector\/lib\/auth\/(jwtToken|.*Validation|openIdMetadata|endorsements|authenticationConfiguration)|node_modules\/(jsonwebtoken|jws|jwa|jose|jwks-rsa)\/|src\/auth\/jwt|src\/notifications\/intakeAuth/,
  ],
  [
    'templating (adaptivecards-templating, adaptive-expressions)',
    /adaptivecards-templating|adaptive-expressions|antlr4ts|src\/cards\//,
  ],
  [
    'logging (pino)',
    /node_modules\/(pino|pino-std-serializers|sonic-boom|thread-stream|fast-redact|on-exit-leak-free)\/|src\/log/,
  ],
  [
    // @azure/identity also gets the bot's own managed-identity token for the connector.
    'Graph client and tokens (@azure/identity, MSAL, OBO)',
    /microsoft-graph-client|@azure\/(identity|msal-node|msal-common)|src\/graph\/|src\/auth\//,
  ],
  ['storage (state, references, claims)', /src\/(state|storage)\/|better-sqlite3|src\/notifications\/store/],
  [
    'connector (outbound replies, bot token)',
    /botframework-connector\/|@azure\/(core-|ms-rest|abort)|@typespec\/ts-http-runtime|botframework-schema|node_modules\/(axios|node-fetch|form-data)\//,
  ],
  ['bot framework turn (botbuilder)', /node_modules\/botbuilder(-core|-dialogs)?\//],
  ['Governance Bot handler and domain', /src\/(bot|domain|notifications|app|server)/],
  [
    'HTTP server (restify)',
    /node_modules\/(restify|find-my-way|formidable|send|negotiator|qs|uuid)\/|node:_http_server/,
  ],
];

const SPECIAL = new Map([
  ['(garbage collector)', 'garbage collection'],
  ['(program)', 'runtime (program, native)'],
  ['(idle)', 'idle'],
]);

export interface Breakdown {
  readonly busyMs: number;
  readonly idleMs: number;
  readonly areas: ReadonlyMap<string, number>;
  /** Self time per function (name and file), for the top consumers; `url` tells project code apart. */
  readonly functions: ReadonlyMap<string, { ms: number; area: string; url: string }>;
}

export function breakdown(file: string): Breakdown {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areaCache = new Map<number, string>();
  const areaOf = (id: number): string => {
    const cached = areaCache.get(id);
    if (cached) return cached;
    const leaf = byId.get(id)!;
    let found = SPECIAL.get(leaf.callFrame.functionName);
    for (let at: number | undefined = id; !found && at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)!.callFrame.url;
      found = AREAS.find(([, re]) => re.test(url))?.[0];
    }
    const area = found ?? 'runtime (Node internals, HTTP client, TLS)';
    areaCache.set(id, area);
    return area;
  };
  const areas = new Map<string, number>();
  const functions = new Map<string, { ms: number; area: string; url: string }>();
  let idleMs = 0;
  let busyMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const area = areaOf(id);
    if (area === 'idle') {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const frame = byId.get(id)!.callFrame;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : 'native';
    const key = `${frame.functionName || '(anonymous)'} ${where}`;
    const f = functions.get(key) ?? { ms: 0, area, url: frame.url };
    f.ms += ms;
    functions.set(key, f);
  });
  return { busyMs, idleMs, areas, functions };
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? url.slice(dist + '/dist/'.length) : url.replace(/^file:\/\//, '');
}

/** The newest .cpuprofile in a directory; null when there is none (or no such directory). */
export function newestProfile(dir: string): string | null {
  if (!fs.existsSync(dir)) return null;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => `${dir}/${f}`)
    .sort((x, y) => fs.statSync(y).mtimeMs - fs.statSync(x).mtimeMs);
  return files[0] ?? null;
}
