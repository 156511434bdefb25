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
  // Someone else's (or an unknown) request needs the admin grant: non-admins cannot probe ids.
  const refused = c.permit(item !== undefined && item.ownerId === c.caller.id, policyFor?.(item));
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
