// The approvals as their approvers list them: filterByCurrentUser(on='approver') over the
// approvals, over the requests themselves, or (PIM) over the eligibility requests, each collection
// read as its own type (graph-reference §6.7, §7, §8); and an approval as Graph shows it, in a
// list or read alone. The approvals and their stages are approvalModel.ts's; the routes approvals.ts's.

import type { SimResponse } from '../envelope';
import { KindConfig } from './approvalKinds';
import { Approval, ApprovalKind, awaits, settle, stageView } from './approvalModel';
import { AreaDeps, EM_PAGE_SIZE, pageOf } from './items';
import { EntityShape, collectionRefusal, matches, parseQuery, shapeRow } from './odata';
import { pageTokenRefusal } from './pageToken';
import { Ctx } from './routes';

/**
 * The documented cap of PIM's approver filter: at most 50 items, no @odata.nextLink, no $top or
 * $skip (microsoftgraph/microsoft-graph-docs#15755, as cited in reference/anchors-and-user-needs.md §2.2).
 */
export const APPROVER_FILTER_CAP = 50;

/** What the filter reads: the area's deps, each kind's routes and shapes, and every approval open or not. */
export interface ApproverFilterSources {
  readonly d: AreaDeps;
  readonly kinds: Readonly<Record<ApprovalKind, KindConfig>>;
  readonly approvals: () => Iterable<Approval>;
}

/**
 * filterByCurrentUser(on='approver') over approvals, or over the requests themselves: the
 * assignment requests, or (PIM) the eligibility requests, each collection its own.
 */
export function approverFilter(
  { d, kinds, approvals }: ApproverFilterSources,
  c: Ctx,
  kind: ApprovalKind,
  over: 'approvals' | 'requests' | 'eligibility',
): SimResponse {
  const k = kinds[kind];
  if ((c.params[0] ?? '') !== 'approver') {
    return d.envelope.error(
      c.req,
      400,
      'BadRequest',
      `The value '${c.params[0] ?? ''}' of the parameter 'on' is not supported.`,
    );
  }
  // Each collection reads as its own type: an approval is not a request (its filter cannot name
  // a request's status or principal), nor an eligibility request an assignment request.
  const shape =
    over === 'approvals'
      ? approvalShape(c.version === 'beta')
      : over === 'eligibility' && k.eligibility
        ? k.eligibility.shape
        : k.requestShape;
  const refused = collectionRefusal(c.query, shape);
  if (refused) return d.envelope.error(c.req, 400, 'BadRequest', refused);
  const parsed = parseQuery(c.query, c.req.headers, shape);
  if (!parsed.ok) return d.envelope.error(c.req, 400, parsed.code, parsed.message, parsed.details);
  const badToken = pageTokenRefusal(c, d.envelope);
  if (badToken) return badToken;
  const waiting = [...approvals()]
    .filter((a) => a.kind === kind)
    .map((a) => (settle(a, d.now()), a))
    .filter((a) => awaits(a, c.caller.id))
    .filter((a) => over === 'approvals' || isEligibility(a) === (over === 'eligibility'));
  const shaped =
    over === 'approvals'
      ? waiting.map((a) => approvalEntity(a, c))
      : waiting
          .filter((a) => matches(a.request, parsed.query.filter))
          .map((a) => shapeRow(a.request, parsed.query, shape));
  const context = `https://graph.microsoft.com/${c.version}/$metadata#Collection(${over})`;
  if (k.capped) {
    return d.envelope.json(c.req, 200, {
      '@odata.context': context,
      value: shaped.slice(0, APPROVER_FILTER_CAP),
    });
  }
  return d.envelope.json(c.req, 200, { '@odata.context': context, ...pageOf(c, shaped, EM_PAGE_SIZE) });
}

/** The approval as the caller reads it: its id and its stages (v1.0 `stages`, beta `steps`). */
export function approvalEntity(a: Approval, c: Ctx): Record<string, unknown> {
  const beta = c.version === 'beta';
  return {
    '@odata.context': `https://graph.microsoft.com/${c.version}/$metadata#approval`,
    id: a.id,
    [beta ? 'steps' : 'stages']: a.stages.map((s) => stageView(s, c.caller.id, beta)),
  };
}

/**
 * The approval as a collection item: `id` and its stages (v1.0 `stages`, beta `steps`), nothing to
 * filter on (its filter page documents only the paging options).
 * https://learn.microsoft.com/en-us/graph/api/resources/approval?view=graph-rest-1.0
 * https://learn.microsoft.com/en-us/graph/api/approval-filterbycurrentuser?view=graph-rest-1.0
 */
export function approvalShape(beta: boolean): EntityShape {
  return {
    type: 'microsoft.graph.approval',
    navigation: [beta ? 'steps' : 'stages'],
    filterable: [],
    properties: ['id'],
  };
}

/** Whether the approval decides an eligibility schedule request (PIM: an eligible assignment extended or renewed). */
function isEligibility(a: Approval): boolean {
  return /EligibilityScheduleRequest$/.test(String(a.request['@odata.type'] ?? ''));
}
