// Whose token is this? Before any SSO token is exchanged or any token cached, its subject must be
// the user of the activity that brought it: the `oid` claim equal to the activity's
// from.aadObjectId and the `tid` claim equal to the conversation's tenant. The claims are read
// without checking the signature on purpose: Entra validates the token during the on-behalf-of
// exchange; this check only binds an (otherwise valid) token to the person it arrived with, so
// user B's token sent in user A's name is never used for A.

import { decodeJwt } from './jwt';

export interface Subject {
  readonly aadObjectId: string;
  /** The tenant the activity came from (conversation.tenantId or channelData.tenant.id). */
  readonly tenantId: string;
}

/** Null when the token's subject is `who`; otherwise what is wrong, in words safe to log. */
export function subjectProblem(token: string, who: Subject): string | null {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token).claims;
  } catch {
    return 'the token is not a JWT';
  }
  const oid = claims.oid;
  const tid = claims.tid;
  if (typeof oid !== 'string' || oid.toLowerCase() !== who.aadObjectId.toLowerCase()) {
    return 'the token belongs to another user';
  }
  if (typeof tid !== 'string' || tid.toLowerCase() !== who.tenantId.toLowerCase()) {
    return 'the token belongs to another tenant';
  }
  return null;
}
