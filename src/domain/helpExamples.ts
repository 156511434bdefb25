/**
 * Demo ids for the help card, as the sandbox seed's `examples` holds them; in the sandbox they work
 * against the simulated tenant. Each catalog entry's `demoExample` names the keys its ids come from.
 * A type, not an interface, so that it indexes as a record of strings.
 */
export type HelpExamples = {
  readonly workflowId: string;
  readonly runId: string;
  readonly roleRequestId: string;
  readonly groupRequestId: string;
  readonly accessRequestId: string;
  readonly taskWorkflowId: string;
  readonly taskId: string;
  readonly taskProcessingResultId: string;
  /** Other waiting results of the same task, for `approve task` and `reject task`. */
  readonly approveTaskProcessingResultId: string;
  readonly rejectTaskProcessingResultId: string;
  /** Requests that wait for Megan Bowen's approval (and Lynne Robbins's, who shares the stage). */
  readonly roleApprovalId: string;
  readonly groupApprovalId: string;
  readonly accessApprovalId: string;
  /** Other requests waiting for Megan Bowen, for the deny examples (the approve examples decide theirs). */
  readonly roleDenyApprovalId: string;
  readonly groupDenyApprovalId: string;
  readonly accessDenyApprovalId: string;
};
