// workflow: cancelProcessing, the cancel of one queued or in-progress run (graph-reference §1):
// its scope, its one run, and the refusals the drafts show (their codes and messages), each in
// Graph's envelope with its innerError (https://learn.microsoft.com/en-us/graph/errors).

import type { SimResponse } from '../envelope';
import { AreaDeps, lower } from './items';
import { LcwStore, settled } from './lifecycleWorkflowsRows';
import type { Ctx } from './routes';
import { undeclaredParameter, undeclaredProperty } from './undeclared';

const RUN_CANCELLABLE = ['queued', 'inprogress'];
const SCOPE_TYPE = 'microsoft.graph.identityGovernance.cancelRunsScope';
const RUN_TYPE = 'microsoft.graph.identityGovernance.run';

function runsOf(body: unknown): unknown[] {
  const runs = (body as { scope?: { runs?: unknown } } | undefined)?.scope?.runs;
  return Array.isArray(runs) ? runs : [];
}

export function cancelProcessing(d: AreaDeps, store: LcwStore, c: Ctx): SimResponse {
  const { envelope } = d;
  const workflowId = lower(c.params[0] ?? '');
  if (!store.hasWorkflow(workflowId)) {
    return envelope.error(c.req, 404, 'Resource not found', `Workflow with id '${c.params[0]}' was not found.`);
  }
  // One parameter, scope: a cancelRunsScope of runs, each named by id (identitygovernance-workflow-cancelprocessing).
  const undeclared =
    undeclaredParameter(c.body, ['scope'], 'cancelProcessing') ??
    undeclaredProperty((c.body as { scope?: unknown } | undefined)?.scope, ['runs'], SCOPE_TYPE) ??
    runsOf(c.body)
      .map((r) => undeclaredProperty(r, ['id'], RUN_TYPE))
      .find((m) => m !== null) ??
    null;
  // Refused by Graph's OData reader before the workflow service sees it: Graph's own envelope.
  if (undeclared !== null) return envelope.error(c.req, 400, 'BadRequest', undeclared);
  const scope = (c.body as { scope?: { '@odata.type'?: unknown; runs?: unknown } } | undefined)?.scope;
  // "Must be #microsoft.graph.identityGovernance.cancelRunsScope", as spelt: type names are case
  // sensitive (https://learn.microsoft.com/en-us/openspecs/windows_protocols/mc-csdl/969b9b71-803b-4906-9f26-1e891534d591).
  if (!scope || scope['@odata.type'] !== `#${SCOPE_TYPE}`) {
    return envelope.error(c.req, 400, 'Bad Request', 'The scope must be a cancelRunsScope.');
  }
  const runs = Array.isArray(scope.runs) ? (scope.runs as Array<{ id?: unknown }>) : [];
  if (runs.length > 1) {
    return envelope.error(
      c.req,
      400,
      'Bad Request',
      `Too many runs provided. Received ${runs.length}, but the maximum allowed in a single cancelProcessing call is 1.`,
    );
  }
  const runId = typeof runs[0]?.id === 'string' ? runs[0].id : '';
  const run = store.run(runId);
  if (!run) {
    return envelope.error(
      c.req,
      406,
      'Not Acceptable Request',
      `No valid runs in cancelRunsScope supplied. ${runs.length} runs were specified and none were valid.`,
    );
  }
  if (run.workflowId !== workflowId) {
    return envelope.error(
      c.req,
      400,
      'Bad Request',
      `Run with id '${runId}' does not belong to workflow '${c.params[0]}'.`,
    );
  }
  if (!RUN_CANCELLABLE.includes(lower(String(run.processingStatus)))) {
    return envelope.error(
      c.req,
      409,
      'Conflict',
      `Run with id '${runId}' is not in a cancellable state. Current status: '${String(run.processingStatus)}'. Must be 'queued' or 'in-progress' to cancel.`,
    );
  }
  const throttled = d.faults.throttleOnce(c.req, run);
  if (throttled) return throttled;
  // The run passes through canceling (an evolvable member) before canceled (§1, §6.1).
  run.processingStatus = 'canceling';
  run.cancelRequestedAt = d.now();
  settled(d, run);
  return envelope.ok(c.req, 204);
}
