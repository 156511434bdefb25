/** Demo ids for the help card; in the sandbox they work against the simulated tenant. */
export interface HelpExamples {
  readonly workflowId: string;
  readonly runId: string;
  readonly roleRequestId: string;
  readonly groupRequestId: string;
  readonly accessRequestId: string;
  readonly taskWorkflowId: string;
  readonly taskId: string;
  readonly taskProcessingResultId: string;
}
