// Notification intake events for the property tests of its validation (README, POST
// /api/notifications): the parser's answer as a verdict, the README's kinds and categories, the
// body of a valid event of any kind with its expected verdict, the generators of event ids and
// targets, and the checks every refusal and every accepted event must pass.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { LOWER_GUID, anyCaseGuid } from './arbitraries';
// The parser under test, named in this one place: a rename is a one-line change.
import { parseEvent as parse } from '../../src/notifications/events';

type Verdict =
  | {
      readonly kind: 'accepted';
      readonly operation: string;
      readonly ids: Record<string, string>;
      readonly target: Record<string, string>;
    }
  | { readonly kind: 'refused'; readonly problems: unknown };

/** The parser's answer in the terms these properties need. */
export function verdict(body: unknown): Verdict {
  const r = parse(body);
  if (!r.ok) return { kind: 'refused', problems: r.problems };
  return {
    kind: 'accepted',
    operation: r.event.item.operation,
    ids: { ...r.event.item.ids },
    target: { ...r.event.target } as Record<string, string>,
  };
}

export const CHANNEL = /^19:[A-Za-z0-9._@-]{1,200}$/;

/** README: each kind, the operation its buttons act on, and where its ids are in the body. */
export const KINDS = {
  roleRequest: { operation: 'cancelRoleRequest', ids: { requestId: 'requestId' } },
  groupRequest: { operation: 'cancelGroupRequest', ids: { requestId: 'requestId' } },
  accessRequest: { operation: 'cancelAccessPackageRequest', ids: { requestId: 'requestId' } },
  workflowRun: { operation: 'cancelWorkflowRun', ids: { workflowId: 'workflowId', runId: 'runId' } },
  taskCallout: {
    operation: 'resumeTask',
    ids: { workflowId: 'workflow', taskId: 'task', taskProcessingResultId: 'taskProcessingResult' },
  },
  roleApproval: { operation: 'decideRoleApproval', ids: { requestId: 'requestId' } },
  groupApproval: { operation: 'decideGroupApproval', ids: { requestId: 'requestId' } },
  accessApproval: { operation: 'decideAccessPackageApproval', ids: { requestId: 'requestId' } },
} as const;

/** README: the categories an event may target instead of one chat or channel. */
export const CATEGORIES = [
  'roleRequests',
  'groupRequests',
  'accessPackageRequests',
  'workflowRuns',
  'taskCallouts',
  'approvals',
  'actions',
] as const;
type Kind = keyof typeof KINDS;

export const callbackPath = (w: string, t: string, r: string) =>
  `/identityGovernance/lifecycleWorkflows/workflows/${w}/tasks/${t}/taskProcessingResults/${r}/microsoft.graph.identityGovernance.resume`;

/** The body of one event; `ids` maps the body's id fields (see KINDS) to their values. */
export function body(
  kind: Kind,
  eventId: string,
  target: unknown,
  ids: Record<string, unknown>,
): Record<string, unknown> {
  const common = { eventId, kind, target, title: 'A title', details: 'Some details.' };
  if (kind === 'taskCallout') {
    const [w, t, r] = [ids.workflow, ids.task, ids.taskProcessingResult].map(String);
    return {
      ...common,
      callout: {
        source: 'Lifecycle Workflows',
        type: 'lifecycleEvent',
        data: {
          '@odata.type': '#microsoft.graph.identityGovernance.customTaskExtensionCalloutData',
          subject: { displayName: 'Adele Vance' },
          task: { id: t, displayName: 'Order a laptop' },
          taskProcessingResult: { id: r },
          workflow: { id: w, displayName: 'Onboard new hires' },
          callbackUriPath: callbackPath(w!, t!, r!),
        },
      },
    };
  }
  return { ...common, principalName: 'Megan Bowen', ...ids };
}

/** The prefixes of the bot's own alert ids, which an event may not take (README, POST /api/notifications). */
export const RESERVED_ID = /^(?:action|reminder|digest):/i;
/** Nor the dot segments "." and "..", which a URL client removes from the status URL (README). */
export const DOT_SEGMENT_ID = /^\.\.?$/;
export const eventId = fc
  .stringMatching(/^[A-Za-z0-9._:-]{1,128}$/)
  .filter((id) => !RESERVED_ID.test(id) && !DOT_SEGMENT_ID.test(id));
export const target = fc.oneof(
  anyCaseGuid.map((userId) => ({ userId })),
  fc.stringMatching(/^[A-Za-z0-9._@-]{1,60}$/).map((s) => ({ channelId: `19:${s}` })),
  fc.constantFrom(...CATEGORIES).map((category) => ({ category })),
);

export const validEvent = fc
  .tuple(
    fc.constantFrom(...(Object.keys(KINDS) as Kind[])),
    eventId,
    target,
    fc.array(anyCaseGuid, { minLength: 3, maxLength: 3 }),
  )
  .map(([kind, id, to, guids]) => {
    const fields = Object.values(KINDS[kind].ids);
    const ids = Object.fromEntries(fields.map((f, i) => [f, guids[i]!]));
    return {
      kind,
      fields,
      body: body(kind, id, to, ids),
      ids,
      expected: {
        kind: 'accepted' as const,
        operation: KINDS[kind].operation,
        ids: Object.fromEntries(Object.keys(KINDS[kind].ids).map((n, i) => [n, guids[i]!.toLowerCase()])),
        target: 'userId' in to ? { userId: to.userId.toLowerCase() } : to,
      },
    };
  });

export function assertRefusal(v: Verdict, input: unknown): asserts v is Extract<Verdict, { kind: 'refused' }> {
  assert.equal(v.kind, 'refused', `expected a refusal for ${safeJson(input)}, got ${JSON.stringify(v)}`);
  assert.ok(Array.isArray(v.problems) && v.problems.length > 0, 'a refusal lists its problems');
  for (const p of v.problems as unknown[])
    assert.ok(typeof p === 'string' && p.trim().length > 0, 'each problem is text');
}

export function assertOnlyGuids(v: Verdict, input: unknown): void {
  if (v.kind !== 'accepted') return;
  const kind = Object.values(KINDS).find((k) => k.operation === v.operation);
  assert.ok(kind, `unknown operation ${v.operation}`);
  assert.deepEqual(Object.keys(v.ids).sort(), Object.keys(kind.ids).sort());
  for (const [name, id] of Object.entries(v.ids)) assert.match(id, LOWER_GUID, `${name} from ${safeJson(input)}`);
  if ('userId' in v.target) assert.match(v.target.userId!, LOWER_GUID);
  else if ('category' in v.target) assert.ok((CATEGORIES as readonly string[]).includes(v.target.category!));
  else assert.match(v.target.channelId ?? '', CHANNEL);
}

function safeJson(v: unknown): string {
  try {
    return (JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v)).slice(0, 2000);
  } catch {
    return String(v);
  }
}

/** The words a problem about a body field uses: README field names, or "the task id in callbackUriPath". */
export const mentionOf = (kind: Kind, field: string) => (kind === 'taskCallout' ? `${field} id` : field);
