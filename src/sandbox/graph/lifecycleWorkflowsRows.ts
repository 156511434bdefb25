// The stored rows of Lifecycle Workflows runs and task processing results: how a seed item becomes
// a row (graph-reference §6.1, §6.2), and how a canceling run settles into canceled (§1).

import type { SeedRun } from '../seed';
import { AreaDeps, Row, lower, userRef } from './items';

export type RunRow = Row & { workflowId: string };
export type TaskResultRow = Row & { workflowId: string; taskId: string };

/** What the write handlers need of the one Lifecycle Workflows model. */
export interface LcwStore {
  hasWorkflow(workflowId: string): boolean;
  /** The run by id in any workflow, settled. */
  run(runId: string): RunRow | undefined;
  /** The task processing result the path's workflow, task and result ids name. */
  taskResultAt(params: readonly string[]): TaskResultRow | undefined;
}

export function runRow(d: AreaDeps, workflowId: string, r: SeedRun): RunRow {
  return {
    id: r.id,
    processingStatus: r.processingStatus,
    workflowExecutionType: 'onDemand',
    scheduledDateTime: null,
    startedDateTime: new Date(d.now() - 1_800_000).toISOString(),
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
    workflowId: lower(workflowId),
  };
}

export function taskResultRow(
  d: AreaDeps,
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
    createdDateTime: new Date(d.now() - 3_600_000).toISOString(),
    startedDateTime: new Date(d.now() - 3_600_000).toISOString(),
    completedDateTime: null,
    failureReason: null,
    // subject and task are relationships: sent only with $expand (§6.2).
    nav: { subject: { '@odata.type': '#microsoft.graph.user', ...userRef(d, subject) }, task },
    throttleOnce: throttleOnce ?? false,
    workflowId: lower(workflowId),
    taskId: lower(task.id),
  };
}

/** A canceling run becomes canceled once the tenant's canceling time has passed. */
export function settled<T extends RunRow | undefined>(d: AreaDeps, run: T): T {
  if (run && run.processingStatus === 'canceling' && typeof run.cancelRequestedAt === 'number') {
    if (d.now() - run.cancelRequestedAt >= d.behaviour().runCancelingMs) {
      run.processingStatus = 'canceled';
      run.completedDateTime = new Date(d.now()).toISOString();
    }
  }
  return run;
}
