// Cancelling a PIM schedule request, the same for directory roles and groups (graph-reference §2).

import type { SimResponse } from '../envelope';
import { AreaDeps, Row, lower, unknownRequest } from './items';
import type { Ctx } from './routes';

// The suggested default set of cancellable statuses, graph-reference §2.
const PIM_CANCELLABLE = ['granted', 'pendingapproval', 'pendingapprovalprovisioning', 'pendingadmindecision'];

export function cancelPimRequest(d: AreaDeps, c: Ctx, store: Map<string, Row>): SimResponse {
  const item = store.get(lower(c.params[0] ?? ''));
  if (!item) return unknownRequest(d, c.req);
  if (!PIM_CANCELLABLE.includes(lower(String(item.status)))) {
    return d.envelope.error(c.req, 400, 'RequestCannotBeCancelled', 'Request is not in cancellable state.');
  }
  const throttled = d.faults.throttleOnce(c.req, item);
  if (throttled) return throttled;
  item.status = 'Canceled';
  item.completedDateTime = new Date(d.now()).toISOString();
  return d.envelope.ok(c.req, 204);
}
