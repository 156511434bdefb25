// taskProcessingResult: resume, the callback of a custom task extension (graph-reference §5): a
// customTaskExtensionCallbackData saying completed or failed, accepted only while inProgress.

import type { SimResponse } from '../envelope';
import { AreaDeps, lower } from './items';
import type { LcwStore } from './lifecycleWorkflowsRows';
import type { Ctx } from './routes';
import { undeclaredParameter, undeclaredProperty } from './undeclared';

const CALLBACK_DATA = 'microsoft.graph.identityGovernance.customTaskExtensionCallbackData';

export function resume(d: AreaDeps, store: LcwStore, c: Ctx): SimResponse {
  const { envelope } = d;
  if (!store.hasWorkflow(c.params[0] ?? '')) {
    return envelope.error(c.req, 404, 'Resource not found', `Workflow with id '${c.params[0]}' was not found.`);
  }
  const result = store.taskResultAt(c.params);
  if (!result) return envelope.error(c.req, 404, 'itemNotFound', 'The task processing result was not found.');
  const b = c.body as
    { data?: { '@odata.type'?: unknown; operationStatus?: unknown }; source?: unknown; type?: unknown } | undefined;
  // Parameters data, source and type; data a customTaskExtensionCallbackData (operationStatus)
  // (identitygovernance-taskprocessingresult-resume).
  const undeclared =
    undeclaredParameter(b, ['data', 'source', 'type'], 'resume') ??
    undeclaredProperty(b?.data, ['operationStatus'], CALLBACK_DATA);
  if (undeclared !== null) return envelope.error(c.req, 400, 'BadRequest', undeclared);
  const dataType = b?.data?.['@odata.type'];
  if (dataType !== undefined && String(dataType).replace(/^#/, '') !== CALLBACK_DATA) {
    // data is a customTaskExtensionCallbackData; the abstract customExtensionData's other derived
    // types (access package callout and callback data) do not bind to it, nor does its name spelt
    // in other letters: type names are case sensitive
    // (https://learn.microsoft.com/en-us/openspecs/windows_protocols/mc-csdl/969b9b71-803b-4906-9f26-1e891534d591).
    return envelope.error(
      c.req,
      400,
      'BadRequest',
      `The type '${String(dataType)}' is not assignable to the expected type 'microsoft.graph.identityGovernance.customTaskExtensionCallbackData'.`,
    );
  }
  const status = typeof b?.data?.operationStatus === 'string' ? lower(b.data.operationStatus) : '';
  if (
    !['completed', 'failed'].includes(status) ||
    typeof b?.source !== 'string' ||
    b.source.trim() === '' ||
    typeof b.type !== 'string'
  ) {
    return envelope.error(
      c.req,
      400,
      'invalidRequest',
      'The request body must have data.operationStatus (completed or failed), a non-empty source and a type.',
    );
  }
  if (lower(String(result.processingStatus)) !== 'inprogress') {
    // Not documented (§5, §13): a 400 by default, a 409 as the alternative.
    const conflict = d.behaviour().resumeNotInProgress === 'Conflict';
    return envelope.error(
      c.req,
      conflict ? 409 : 400,
      conflict ? 'Conflict' : 'BadRequest',
      `The task processing result cannot be resumed. Current status: '${String(result.processingStatus)}'.`,
    );
  }
  const throttled = d.faults.throttleOnce(c.req, result);
  if (throttled) return throttled;
  result.processingStatus = status;
  result.completedDateTime = new Date(d.now()).toISOString();
  return envelope.ok(c.req, 204);
}
