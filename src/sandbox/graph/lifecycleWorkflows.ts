// Lifecycle Workflows: the one model of workflows, their runs and their custom task extension
// results (graph-reference §1, §5), with the routes that read them; the writes are
// lifecycleWorkflowsCancel.ts and lifecycleWorkflowsResume.ts over this store.

import type { SimResponse } from '../envelope';
import type { SeedRun, SeedWorkflow } from '../seed';
import { AreaDeps, Row, getOne, list, lower } from './items';
import { cancelProcessing } from './lifecycleWorkflowsCancel';
import { resume } from './lifecycleWorkflowsResume';
import { LcwStore, RunRow, TaskResultRow, runRow, settled, taskResultRow } from './lifecycleWorkflowsRows';
import { LCW_POLICY as POLICY, RUN_SHAPE, TASK_RESULT_SHAPE, WORKFLOW_SHAPE } from './lifecycleWorkflowsShapes';
import { Ctx, ID, NS, Route } from './routes';

const LCW = '/identityGovernance/lifecycleWorkflows/workflows';

export class LifecycleWorkflows implements LcwStore {
  private readonly workflows = new Map<string, Row>();
  private readonly runs = new Map<string, RunRow>();
  private readonly taskResults = new Map<string, TaskResultRow>();
  /** The tasks of each workflow: `workflowId/taskId`, lower-cased. */
  private readonly tasks = new Set<string>();

  constructor(private readonly d: AreaDeps) {}

  load(workflows: readonly SeedWorkflow[]): void {
    this.workflows.clear();
    this.runs.clear();
    this.taskResults.clear();
    this.tasks.clear();
    for (const w of workflows) {
      this.workflows.set(lower(w.id), { id: w.id, displayName: w.displayName, category: w.category, isEnabled: true });
      for (const r of w.runs) this.runs.set(lower(r.id), runRow(this.d, w.id, r));
      for (const t of w.tasks) {
        this.tasks.add(lower(`${w.id}/${t.id}`));
        for (const r of t.results) {
          this.taskResults.set(
            lower(r.id),
            taskResultRow(this.d, w.id, t, r.id, r.processingStatus, r.subject ?? 'Adele Vance', r.throttleOnce),
          );
        }
      }
    }
  }

  addRun(workflowId: string, run: SeedRun): void {
    if (!this.workflows.has(lower(workflowId))) throw new Error(`no workflow ${workflowId}`);
    this.runs.set(lower(run.id), runRow(this.d, workflowId, run));
  }

  /** A task result waiting on its custom task extension (in progress, as created just now). */
  addWaitingTaskResult(
    workflowId: string,
    task: { id: string; displayName: string },
    id: string,
    subject: string,
  ): void {
    this.tasks.add(lower(`${workflowId}/${task.id}`));
    this.taskResults.set(lower(id), taskResultRow(this.d, workflowId, task, id, 'inProgress', subject, false));
  }

  getRun(runId: string): Readonly<Record<string, unknown>> | undefined {
    return this.run(runId);
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
        handle: (c) => cancelProcessing(this.d, this, c),
      },
      {
        method: 'POST',
        pattern: new RegExp(`^${LCW}/${ID}/tasks/${ID}/taskProcessingResults/${ID}/(?:${NS})?resume$`),
        policy: POLICY.resume,
        // §9: the current page lists China, an older one did not.
        available: () => this.d.cloud !== 'china' || this.d.behaviour().resumeInChina === 'available',
        handle: (c) => resume(this.d, this, c),
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
          this.unknownParent(c) ??
          list(
            this.d,
            c,
            [...this.runs.values()].filter(inWorkflow(c)).map((r) => settled(this.d, r)),
            RUN_SHAPE,
          ),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${LCW}/${ID}/runs/${ID}$`),
        policy: POLICY.read,
        handle: (c) => {
          const run = this.run(c.params[1] ?? '');
          return getOne(this.d, c, run && inWorkflow(c)(run) ? run : undefined, 'run', RUN_SHAPE);
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${LCW}/${ID}/tasks/${ID}/taskProcessingResults$`),
        policy: POLICY.read,
        handle: (c) =>
          this.unknownParent(c) ??
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

  /**
   * The 404 for a collection under a workflow (or a workflow's task) that does not exist: no empty
   * list (https://learn.microsoft.com/en-us/graph/errors), in the words the service uses for an
   * unknown workflow on its actions (graph-reference §1).
   */
  private unknownParent(c: Ctx): SimResponse | null {
    const [workflowId = '', taskId] = c.params;
    if (!this.hasWorkflow(workflowId)) {
      return this.d.envelope.error(c.req, 404, 'Resource not found', `Workflow with id '${workflowId}' was not found.`);
    }
    if (taskId !== undefined && !this.tasks.has(lower(`${workflowId}/${taskId}`))) {
      return this.d.envelope.error(
        c.req,
        404,
        'Resource not found',
        `Task with id '${taskId}' was not found in workflow '${workflowId}'.`,
      );
    }
    return null;
  }

  hasWorkflow(workflowId: string): boolean {
    return this.workflows.has(lower(workflowId));
  }

  run(runId: string): RunRow | undefined {
    return settled(this.d, this.runs.get(lower(runId)));
  }

  taskResultAt(params: readonly string[]): TaskResultRow | undefined {
    const r = this.taskResults.get(lower(params[2] ?? ''));
    return r && r.workflowId === lower(params[0] ?? '') && r.taskId === lower(params[1] ?? '') ? r : undefined;
  }
}
