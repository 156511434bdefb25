// The README's permission table, generated from the catalog so the two cannot drift apart. The
// Graph call column prints each entry's real method and version, as the gateway sends them.

import { CATALOG, CLOUD_NAMES, OPERATION_NAMES } from './operations';

export function permissionTableMarkdown(): string {
  const rows = OPERATION_NAMES.map((name) => {
    const s = CATALOG[name];
    const higher = s.permission.higher.length > 0 ? s.permission.higher.map((p) => `\`${p}\``).join(', ') : 'none';
    const clouds = s.clouds.length === 4 ? 'all four' : s.clouds.map((c) => CLOUD_NAMES[c]).join(', ');
    const read = `\`GET /${s.read.version}${s.read.path}\` (${s.read.permission})`;
    return `| ${s.title} | \`${s.permission.least}\` | ${higher} | ${s.role} | ${clouds} | \`${s.method} /${s.version}${s.path}\` → ${s.successStatus} | ${read} |`;
  });
  return [
    '| operation | least-privileged delegated permission | higher | Entra role of the signed-in user | clouds | Graph call | state read (permission) |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
