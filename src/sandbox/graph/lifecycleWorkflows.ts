// Lifecycle Workflows: workflows, their runs (cancelProcessing) and custom task extension
// results (resume), graph-reference §1.

import type { SimResponse } from '../envelope';
import type { SeedRun, SeedWorkflow } from '../seed';
import { AreaDeps, Row, getOne, list, lower, userRef } from './items';
import { LCW_POLICY as POLICY, RUN_SHAPE, TASK_RESULT_SHAPE, WORKFLOW_SHAPE } from './lifecycleWorkflowsShapes';
import { Ctx, ID, NS, Route } from './routes';

const LCW = '/identityGovernance/lifecycleWorkflows/workflows';
const RUN_CANCELLABLE = ['queued', 'inprogress'];
const CALLBACK_DATA = 'microsoft.graph.identitygovernance.customtaskextensioncallbackdata';

type RunRow = Row & { workflowId: string };
type TaskResultRow = Row & { workflowId: string; taskId: string };

export class LifecycleWorkflows {
  private readonly workflows = new Map<string, Row>();
  private readonly runs = new Map<string, RunRow>();
  private readonly taskResults = new Map<string, TaskResultRow>();

  constructor(private readonly d: AreaDeps) {}

  load(workflows: readonly SeedWorkflow[]): void {
    this.workflows.clear();
    this.runs.clear();
    this.taskResults.clear();
    for (const w of workflows) {
      this.workflows.set(lower(w.id), { id: w.id, displayName: w.displayName, category: w.category, isEnabled: true });
      for (const r of w.runs) this.runs.set(lower(r.id), { ...this.runShape(r), workflowId: lower(w.id) });
      for (const t of w.tasks) {
        for (const r of t.results) {
          this.taskResults.set(
            lower(r.id),
            this.taskResultShape(w.id, t, r.id, r.processingStatus, r.subject ?? 'Adele Vance', r.throttleOnce),
          );
        }
      }
    }
  }

  addRun(workflowId: string, run: SeedRun): void {
    if (!this.workflows.has(lower(workflowId))) throw new Error(`no workflow ${workflowId}`);
    this.runs.set(lower(run.id), { ...this.runShape(run), workflowId: lower(workflowId) });
  }

  /** A task result waiting on its custom task extension (in progress, as created just now). */
  addWaitingTaskResult(
    workflowId: string,
    task: { id: string; displayName: string },
    id: string,
    subject: string,
  ): void {
    this.taskResults.set(lower(id), this.taskResultShape(workflowId, task, id, 'inProgress', subject, false));
  }

  getRun(runId: string): Readonly<Record<string, unknown>> | undefined {
    return this.settled(this.runs.get(lower(runId)));
  }

  getTaskResult(resultId: string): Readonly<Record<string, unknown>> | undefined {
    return this.taskResults.get(lower(resultId));
  }

  routes(): Route[] {
    const inWorkflow = (c: Ctx) => (r: RunRow) => r.workflowId === lower(c.params[0] ?? '');
    return [
      {
        method: 'POST',
        pattern: new RegExp(`^${LCW}/${ID}/(?:${NS})?cancelProcessing$`),
        policy: POLICY.cancel,
        // Global service only (§1, §9).
        available: () => this.d.cloud === 'global',
        handle: (c) => this.cancelRun(c),
      },
      {
        method: 'POST',
        pattern: new RegExp(`^${LCW}/${ID}/tasks/${ID}/taskProcessingResults/${ID}/(?:${NS})?resume$`),
        policy: POLICY.resume,
        // §9: the current page lists China, an older one did not.
        available: () => this.d.cloud !== 'china' || this.d.behaviour().resumeInChina === 'available',
        handle: (c) => this.resume(c),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${LCW}/${ID}$`),
        policy: POLICY.workflowRead,
        handle: (c) => getOne(this.d, c, this.workflows.get(lower(c.params[0] ?? '')), 'workflow', WORKFLOW_SHAPE),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${LCW}/${ID}/runs$`),
        policy: POLICY.read,
        handle: (c) =>
          list(
            this.d,
            c,
            [...this.runs.values()].filter(inWorkflow(c)).map((r) => this.settled(r) ?? r),
            RUN_SHAPE,
          ),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${LCW}/${ID}/runs/${ID}$`),
        policy: POLICY.read,
        handle: (c) => {
          const run = this.settled(this.runs.get(lower(c.params[1] ?? '')));
          return getOne(this.d, c, run && inWorkflow(c)(run) ? run : undefined, 'run', RUN_SHAPE);
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${LCW}/${ID}/tasks/${ID}/taskProcessingResults$`),
        policy: POLICY.read,
        handle: (c) =>
          list(
            this.d,
            c,
            [...this.taskResults.values()].filter(
              (r) => r.workflowId === lower(c.params[0] ?? '') && r.taskId === lower(c.params[1] ?? ''),
            ),
            TASK_RESULT_SHAPE,
          ),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${LCW}/${ID}/tasks/${ID}/taskProcessingResults/${ID}$`),
        policy: POLICY.read,
        handle: (c) => getOne(this.d, c, this.taskResultAt(c.params), 'taskProcessingResult', TASK_RESULT_SHAPE),
      },
    ];
  }

  private cancelRun(c: Ctx): SimResponse {
    const { envelope } = this.d;
    const workflowId = lower(c.params[0] ?? '');
    if (!this.workflows.has(workflowId)) {
      return envelope.error(
        c.req,
        404,
        'Resource not found',
        `Workflow with id '${c.params[0]}' was not found.`,
        false,
      );
    }
    const scope = (c.body as { scope?: { '@odata.type'?: unknown; runs?: unknown } } | undefined)?.scope;
    if (!scope || lower(String(scope['@odata.type'] ?? '')) !== '#microsoft.graph.identitygovernance.cancelrunsscope') {
      return envelope.error(c.req, 400, 'Bad Request', 'The scope must be a cancelRunsScope.', false);
    }
    const runs = Array.isArray(scope.runs) ? (scope.runs as Array<{ id?: unknown }>) : [];
    if (runs.length > 1) {
      return envelope.error(
        c.req,
        400,
        'Bad Request',
        `Too many runs provided. Received ${runs.length}, but the maximum allowed in a single cancelProcessing call is 1.`,
        false,
      );
    }
    const runId = typeof runs[0]?.id === 'string' ? runs[0].id : '';
    const run = this.settled(this.runs.get(lower(runId)));
    if (!run) {
      return envelope.error(
        c.req,
        406,
        'Not Acceptable Request',
        `No valid runs in cancelRunsScope supplied. ${runs.length} runs were specified and none were valid.`,
        false,
      );
    }
    if (run.workflowId !== workflowId) {
      return envelope.error(
        c.req,
        400,
        'Bad Request',
        `Run with id '${runId}' does not belong to workflow '${c.params[0]}'.`,
        false,
      );
    }
    if (!RUN_CANCELLABLE.includes(lower(String(run.processingStatus)))) {
      return envelope.error(
        c.req,
        409,
        'Conflict',
        `Run with id '${runId}' is not in a cancellable state. Current status: '${String(run.processingStatus)}'. Must be 'queued' or 'in-progress' to cancel.`,
        false,
      );
    }
    const throttled = this.d.faults.throttleOnce(c.req, run);
    if (throttled) return throttled;
    // The run passes through canceling (an evolvable member) before canceled (§1, §6.1).
    run.processingStatus = 'canceling';
    run.cancelRequestedAt = this.d.now();
    this.settled(run);
    return envelope.ok(c.req, 204);
  }

  private resume(c: Ctx): SimResponse {
    const { envelope } = this.d;
    if (!this.workflows.has(lower(c.params[0] ?? ''))) {
      return envelope.error(
        c.req,
        404,
        'Resource not found',
        `Workflow with id '${c.params[0]}' was not found.`,
        false,
      );
    }
    const result = this.taskResultAt(c.params);
    if (!result) return envelope.error(c.req, 404, 'itemNotFound', 'The task processing result was not found.');
    const b = c.body as
      { data?: { '@odata.type'?: unknown; operationStatus?: unknown }; source?: unknown; type?: unknown } | undefined;
    const dataType = b?.data?.['@odata.type'];
    if (dataType !== undefined && lower(String(dataType).replace(/^#/, '')) !== CALLBACK_DATA) {
      // data is a customTaskExtensionCallbackData; the abstract customExtensionData's other derived
      // types (access package callout and callback data) do not bind to it.
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
      const conflict = this.d.behaviour().resumeNotInProgress === 'Conflict';
      return envelope.error(
        c.req,
        conflict ? 409 : 400,
        conflict ? 'Conflict' : 'BadRequest',
        `The task processing result cannot be resumed. Current status: '${String(result.processingStatus)}'.`,
      );
    }
    const throttled = this.d.faults.throttleOnce(c.req, result);
    if (throttled) return throttled;
    result.processingStatus = status;
    result.completedDateTime = new Date(this.d.now()).toISOString();
    return envelope.ok(c.req, 204);
  }

  private taskResultAt(params: readonly string[]): TaskResultRow | undefined {
    const r = this.taskResults.get(lower(params[2] ?? ''));
    return r && r.workflowId === lower(params[0] ?? '') && r.taskId === lower(params[1] ?? '') ? r : undefined;
  }

  /** A canceling run becomes canceled once the tenant's canceling time has passed. */
  private settled<T extends RunRow | undefined>(run: T): T {
    if (run && run.processingStatus === 'canceling' && typeof run.cancelRequestedAt === 'number') {
      if (this.d.now() - run.cancelRequestedAt >= this.d.behaviour().runCancelingMs) {
        run.processingStatus = 'canceled';
        run.completedDateTime = new Date(this.d.now()).toISOString();
      }
    }
    return run;
  }

  private taskResultShape(
    workflowId: string,
    task: { id: string; displayName: string },
    id: string,
    processingStatus: string,
    subject: string,
    throttleOnce: boolean | undefined,
  ): TaskResultRow {
    return {
      id,
      processingStatus,
      createdDateTime: new Date(this.d.now() - 3_600_000).toISOString(),
      startedDateTime: new Date(this.d.now() - 3_600_000).toISOString(),
      completedDateTime: null,
      failureReason: null,
      // subject and task are relationships: sent only with $expand (§6.2).
      nav: { subject: { '@odata.type': '#microsoft.graph.user', ...userRef(this.d, subject) }, task },
      throttleOnce: throttleOnce ?? false,
      workflowId: lower(workflowId),
      taskId: lower(task.id),
    };
  }

  private runShape(r: SeedRun): Row {
    return {
      id: r.id,
      processingStatus: r.processingStatus,
      workflowExecutionType: 'onDemand',
      scheduledDateTime: null,
      startedDateTime: new Date(this.d.now() - 1_800_000).toISOString(),
      completedDateTime: null,
      totalUsersCount: 1,
      nav: {
        userProcessingResults: [],
        subjectProcessingResults: [],
        taskProcessingResults: [],
        taskReports: [],
        reprocessedRuns: [],
      },
      throttleOnce: r.throttleOnce ?? false,
    };
  }
}
