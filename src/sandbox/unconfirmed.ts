// Facts graph-reference.md §13 could not confirm. The simulated tenant plays the reference's best
// guess by default; every documented alternative is listed here so tests can run the bot against
// each, and the sandbox launcher can pick one (SANDBOX_TENANT_OPTIONS, or POST /_sandbox/options).

export interface UnconfirmedBehaviour {
  /**
   * Error for cancelling a PIM request that is not cancellable (§2, §10.2, §13). `RequestCannotBeCancelled`
   * is the legacy v2 and ARM code; `BadRequest` is the generic 400 the v3 page promises; `UnknownError`
   * is PIM's JSON-in-message envelope (the shape its 403 uses) carrying RequestCannotBeCancelled.
   */
  readonly pimNotCancellable: 'RequestCannotBeCancelled' | 'BadRequest' | 'UnknownError';
  /** Which PIM statuses cancel accepts (§2): the legacy list, or only `Granted` as the v3 page reads. */
  readonly pimCancellableStates: 'legacyList' | 'grantedOnly';
  /** Whether the principal may cancel their own PIM role request without an admin role (§2 ⚠️). */
  readonly pimSelfCancel: 'allowed' | 'requiresRole';
  /**
   * What PIM role filterByCurrentUser (on='principal' or 'approver') asks of the signed-in user:
   * `readRole`, a PIM read role, as the API page's note says for every operation
   * (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0);
   * `none`, as the overview's "A principal queries their role assignments" scenario may mean (it
   * names roles only for admin actions and is silent on user actions:
   * https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0).
   */
  readonly pimRoleMineRole: 'readRole' | 'none';
  /** HTTP status for an unknown PIM/EM request id (§10.2, §13). */
  readonly unknownRequestStatus: 404 | 400;
  /** Error for cancelling an access package request that is not cancellable (§4, §13). */
  readonly emNotCancellable: 'BadRequest' | 'Conflict';
  /** Error for resuming a task processing result that is not inProgress (§5, §13). */
  readonly resumeNotInProgress: 'BadRequest' | 'Conflict';
  /** Whether resume is offered in the China cloud (§5, §9: the current page yes, an older page no). */
  readonly resumeInChina: 'available' | 'unavailable';
  /** Permission for PIM-for-Groups filterByCurrentUser (§7: devx PR #1624 moves it to ReadWrite). */
  readonly pimGroupMineScope: 'Read' | 'ReadWrite';
  /** How long a cancelled run stays `canceling` before `canceled` (§1: inferred, timing undocumented). */
  readonly runCancelingMs: 5000 | 0;
}

export const DEFAULT_UNCONFIRMED: UnconfirmedBehaviour = {
  pimNotCancellable: 'RequestCannotBeCancelled',
  pimCancellableStates: 'legacyList',
  pimSelfCancel: 'allowed',
  pimRoleMineRole: 'readRole',
  unknownRequestStatus: 404,
  emNotCancellable: 'BadRequest',
  resumeNotInProgress: 'BadRequest',
  resumeInChina: 'available',
  pimGroupMineScope: 'Read',
  runCancelingMs: 5000,
};

/** Every documented alternative of each unconfirmed fact, the default first. */
export const UNCONFIRMED_ALTERNATIVES: {
  readonly [K in keyof UnconfirmedBehaviour]: readonly UnconfirmedBehaviour[K][];
} = {
  pimNotCancellable: ['RequestCannotBeCancelled', 'BadRequest', 'UnknownError'],
  pimCancellableStates: ['legacyList', 'grantedOnly'],
  pimSelfCancel: ['allowed', 'requiresRole'],
  pimRoleMineRole: ['readRole', 'none'],
  unknownRequestStatus: [404, 400],
  emNotCancellable: ['BadRequest', 'Conflict'],
  resumeNotInProgress: ['BadRequest', 'Conflict'],
  resumeInChina: ['available', 'unavailable'],
  pimGroupMineScope: ['Read', 'ReadWrite'],
  runCancelingMs: [5000, 0],
};

/** Each non-default alternative as a one-key variant of the defaults, for tests that loop over them. */
export function unconfirmedVariants(): Array<{ key: keyof UnconfirmedBehaviour; behaviour: UnconfirmedBehaviour }> {
  const out: Array<{ key: keyof UnconfirmedBehaviour; behaviour: UnconfirmedBehaviour }> = [];
  for (const key of Object.keys(UNCONFIRMED_ALTERNATIVES) as Array<keyof UnconfirmedBehaviour>) {
    for (const value of UNCONFIRMED_ALTERNATIVES[key].slice(1)) {
      out.push({ key, behaviour: { ...DEFAULT_UNCONFIRMED, [key]: value } });
    }
  }
  return out;
}

/**
 * Checks a partial set of choices (from JSON: an env variable or a control request) against the
 * documented alternatives; throws naming the first unknown key or value.
 */
export function parseUnconfirmed(input: unknown): Partial<UnconfirmedBehaviour> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new Error('Tenant options must be a JSON object.');
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const allowed = (UNCONFIRMED_ALTERNATIVES as Record<string, readonly unknown[]>)[key];
    if (!allowed) throw new Error(`Unknown tenant option '${key}'.`);
    if (!allowed.includes(value)) {
      throw new Error(`Tenant option '${key}' must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}.`);
    }
    out[key] = value;
  }
  return out as Partial<UnconfirmedBehaviour>;
}

/** The PIM statuses cancel accepts, lower-cased. */
export function pimCancellable(b: UnconfirmedBehaviour): readonly string[] {
  return b.pimCancellableStates === 'grantedOnly'
    ? ['granted']
    : ['granted', 'pendingapproval', 'pendingapprovalprovisioning', 'pendingadmindecision'];
}

/** The launcher's choice: SANDBOX_TENANT_OPTIONS='{"pimNotCancellable":"BadRequest"}' (JSON). */
export function unconfirmedFromEnv(env: NodeJS.ProcessEnv): Partial<UnconfirmedBehaviour> {
  const raw = env.SANDBOX_TENANT_OPTIONS;
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('SANDBOX_TENANT_OPTIONS must be a JSON object.');
  }
  return parseUnconfirmed(parsed);
}
