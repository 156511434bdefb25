// The README's permission table, generated from the catalog so the two cannot drift apart. The
// Graph call column prints each entry's real method and version, as the gateway sends them; the
// read columns print the reads the gateway chooses between (the admin read by id, and the
// self-service read of one's own item).

import { CATALOG, CLOUD_NAMES, OPERATION_NAMES, StateReadSpec } from './operations';
import { PermissionSet } from './rights';

function perm(p: PermissionSet): string {
  const higher = p.higher ?? [];
  return higher.length > 0 ? `\`${p.least}\` (or ${higher.map((h) => `\`${h}\``).join(', ')})` : `\`${p.least}\``;
}

/** The read's role column: "none" for those the docs let in without a role, then the roles. */
function readRole(read: StateReadSpec): string {
  const role = read.role ?? 'none';
  return read.withoutRole ? `role: none for ${read.withoutRole}; otherwise ${role}` : `role: ${role}`;
}

export function permissionTableMarkdown(): string {
  const rows = OPERATION_NAMES.map((name) => {
    const s = CATALOG[name];
    const self = s.selfService;
    const clouds = s.clouds.length === 4 ? 'all four' : s.clouds.map((c) => CLOUD_NAMES[c]).join(', ');
    const call = `\`${s.method} /${s.version}${s.path}\` → ${s.successStatus}`;
    const own = self ? `${perm(self.permission)}; role: ${self.role ?? 'none'}` : 'not offered';
    const anyone = `${perm(s.permission)}; role: ${s.role}`;
    const ownRead = self
      ? `\`GET /${self.read.version}${self.read.path}${self.read.idFilter === false ? '' : `?$filter=id eq '{${self.read.idName}}'`}\`${self.read.idFilter === false ? ' (every page, matched by id)' : ''}; ${perm({ least: self.read.permission, higher: self.read.higher ?? [] })}; role: ${self.read.role ?? 'none'}`
      : '–';
    const prefer = s.read.includeUnknownEnumMembers ? ' with `Prefer: include-unknown-enum-members`' : '';
    const expand = s.read.expand?.length ? `?$expand=${s.read.expand.join(',')}` : '';
    const anyRead = `\`GET /${s.read.version}${s.read.path}${expand}\`${prefer}; ${perm({ least: s.read.permission, higher: s.read.higher ?? [] })}; ${readRole(s.read)}`;
    return `| ${s.title} | ${call} | ${own} | ${anyone} | ${ownRead} | ${anyRead} | ${clouds} |`;
  });
  return [
    '| operation | Graph call | your own item: delegated permission; Entra role | anyone’s item: delegated permission; Entra role | state read of your own item | state read of anyone’s item | clouds |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
