// Cancelling a PIM schedule request, the same for directory roles and groups (graph-reference §2),
// with the unconfirmed parts (which statuses, which error) as the tenant's options say.

import type { SimResponse } from '../envelope';
import { pimCancellable } from '../unconfirmed';
import type { Policy } from './access';
import { AreaDeps, Row, lower, unknownRequest } from './items';
import type { Ctx } from './routes';

export function cancelPimRequest(
  d: AreaDeps,
  c: Ctx,
  store: Map<string, Row>,
  policyFor?: (item: Row | undefined) => Policy,
): SimResponse {
  const item = store.get(lower(c.params[0] ?? ''));
  // Self-service is for the request its principal created: "A principal cancels a role assignment
  // request they created" (and "a membership or ownership assignment request they created" for
  // groups): https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0,
  // https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview?view=graph-rest-1.0.
  // An assignment an administrator created for the caller, someone else's or an unknown request
  // needs the admin grant: non-admins cannot probe ids.
  const own = item !== undefined && item.ownerId === c.caller.id && item.creatorId === c.caller.id;
  const refused = c.permit(own, policyFor?.(item));
  if (refused) return refused;
  if (!item) return unknownRequest(d, c.req);
  // Both cancel pages: "Don't supply a request body for this method" (the action has no parameters).
  if (c.body !== undefined) {
    return d.envelope.error(c.req, 400, 'BadRequest', 'This action does not take a request body.');
  }
  if (!pimCancellable(d.behaviour()).includes(lower(String(item.status)))) return notCancellable(d, c);
  const throttled = d.faults.throttleOnce(c.req, item);
  if (throttled) return throttled;
  item.status = 'Canceled';
  item.completedDateTime = new Date(d.now()).toISOString();
  return d.envelope.ok(c.req, 204);
}

function notCancellable(d: AreaDeps, c: Ctx): SimResponse {
  const message = 'Request is not in cancellable state.';
  switch (d.behaviour().pimNotCancellable) {
    case 'BadRequest':
      return d.envelope.error(c.req, 400, 'BadRequest', message);
    case 'UnknownError':
      return d.envelope.error(
        c.req,
        400,
        'UnknownError',
        JSON.stringify({ errorCode: 'RequestCannotBeCancelled', message, instanceAnnotations: [] }),
      );
    default:
      return d.envelope.error(c.req, 400, 'RequestCannotBeCancelled', message);
  }
}
