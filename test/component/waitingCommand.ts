// What the tests of remembered commands read back from a rig: the audit lines it wrote, and the
// id of the sign-in the OAuth card of a reply carries (the one `signin/tokenExchange` answers).

import type { Rig } from './botRig';

export const auditLinesOf = (rig: Rig) => rig.logs.filter((l) => l.event === 'governance.action');

export const exchangeIdIn = (sent: ReadonlyArray<{ attachments?: Array<{ content?: unknown }> }>): string =>
  (sent[0]!.attachments![0]!.content as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
