// A lost approval of stage 1 (a 5xx or no answer: its outcome is unknown,
// https://learn.microsoft.com/en-us/graph/errors#http-status-codes), and the read after it shows
// stage 1 decided with the request gone on. The read lists every stage with its reviewer ("The
// identifier of the reviewer",
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0), and a
// stage is decided once ("already been approved by another approver in the same approval stage",
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0): stage 1's
// reviewer says whose decision took effect, whatever happened at a later stage since.

import { strict as assert } from 'node:assert';
import { DecidedElsewhereError, InvalidStateError, UpstreamError } from '../../src/domain/errors';
import type { GraphPort, StateRead } from '../../src/domain/governancePorts';
import type { Target } from '../../src/domain/operations';
import { recoverAfterUncertainWrite } from '../../src/domain/uncertainWrite';
import { approvalViewOf } from '../../src/domain/catalog/approvalView';
import { describeOutcome } from '../../src/cards/outcomeWording';
import type { Click } from '../../src/domain/click';
import { decidedText } from '../../src/domain/laterStage';

const ME = '0b6a6b2a-9b3e-4a2e-8f3e-2f1c8a9d7e61';
const ADELE = '1a2b3c4d-5e6f-4a70-8b91-a2b3c4d5e6f7';
const LYNNE = '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';
const S1 = '7f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const S2 = '8a2d3b4c-5e6f-4a71-9b8c-0d1e2f3a4b5c';
const target: Target = {
  operation: 'decideAccessPackageApproval',
  decision: 'approve',
  ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', stageId: S1 },
};
const person = (id: string, displayName: string) => ({ id, displayName });

/** The approval as Graph lists it (v1.0 stages), read through the catalog's view. */
function readOf(stages: Record<string, unknown>[]): StateRead {
  const view = approvalViewOf({ id: target.ids.requestId, stages }, 'stages');
  return { state: view.state, item: { ...view }, graph: { status: 200, requestId: 'read' } };
}

async function recover(read: StateRead) {
  let writes = 0;
  const graph = {
    readState: async () => read,
    // Stage 1 is decided: Graph refuses any write to it (409).
    write: async () => {
      writes++;
      throw new InvalidStateError('Conflict', null, { status: 409, requestId: 'w' });
    },
  } as unknown as GraphPort;
  const now = Date.parse('2026-07-01T09:10:00Z');
  const first = new UpstreamError('Microsoft Graph did not answer in time.', { status: null, requestId: null });
  const result = await recoverAfterUncertainWrite(
    { graph, now: () => now, left: () => undefined, sleep: async () => undefined, writeBudgetMs: 30_000 },
    first,
    target,
    { aadObjectId: ME, getToken: async () => 'token' },
    now,
  ).then(
    (r) => ({ r, error: null as unknown }),
    (error: unknown) => ({ r: null, error }),
  );
  return { ...result, writes: () => writes };
}

describe('a lost approval of stage 1, stage 1 approved by a third approver, the reader’s stage 2 open', () => {
  const read = readOf([
    {
      id: S1,
      assignedToMe: true,
      status: 'Completed',
      reviewResult: 'Approved',
      reviewedBy: person(ADELE, 'Adele Vance'),
      reviewedDateTime: '2026-07-01T09:05:00Z',
    },
    { id: S2, assignedToMe: true, status: 'InProgress', reviewResult: 'NotReviewed', reviewedBy: null },
  ]);

  it('names who approved stage 1 and sends nothing more to it', async () => {
    const { r, error, writes } = await recover(read);
    assert.equal(r, null);
    assert.ok(error instanceof DecidedElsewhereError, `not "may or may not have taken effect": ${String(error)}`);
    assert.equal(error.decidedBy, 'Adele Vance');
    assert.equal(error.byAsker, false);
    assert.equal(writes(), 0, 'a stage Graph shows decided is not written again');
    const words = JSON.stringify(
      describeOutcome({ ok: false, target, error, correlationId: 'c' }, { at: new Date(0) }).data,
    );
    assert.match(words, /already Approved by Adele Vance/, words);
    assert.match(words, /now waits for your decision/, words);
    assert.doesNotMatch(words, /Nothing more can be done/, words);
  });
});

describe('a lost approval of stage 1 that took effect, stage 2 then denied by its approver', () => {
  const stages = (firstBy: { id: string; displayName: string }) => [
    {
      id: S1,
      assignedToMe: true,
      status: 'Completed',
      reviewResult: 'Approved',
      reviewedBy: firstBy,
      reviewedDateTime: '2026-07-01T09:05:00Z',
    },
    {
      id: S2,
      assignedToMe: false,
      status: 'Completed',
      reviewResult: 'Denied',
      reviewedBy: person(LYNNE, 'Lynne Robbins'),
      reviewedDateTime: '2026-07-01T09:07:00Z',
    },
  ];

  it('is told as the reader’s approval, not "Your decision was not applied"', async () => {
    const { r, error } = await recover(readOf(stages(person(ME, 'Megan Bowen'))));
    assert.equal(error, null, String(error));
    assert.equal(r?.confirmedByRead, true);
  });

  it('says the later stage denied the request since, who denied it and when, typed and pressed', async () => {
    const { r, error } = await recover(readOf(stages(person(ME, 'Megan Bowen'))));
    assert.equal(error, null, String(error));
    assert.deepEqual(r?.endedSince, { state: 'Denied', by: 'Lynne Robbins', at: '2026-07-01T09:07:00Z' });
    const outcome = { ok: true as const, target, graph: r!.graph, correlationId: 'c', confirmedByRead: true };
    const typed = JSON.stringify(describeOutcome({ ...outcome, ...r }, { at: new Date(0) }).data);
    const ended = 'A later stage has since ended the request: Denied by Lynne Robbins at 09:07 UTC on 2026-07-01.';
    assert.ok(typed.includes(ended), typed);
    const click = { target, userName: 'Megan Bowen' } as unknown as Click;
    const pressed = decidedText(click, new Date('2026-07-01T09:06:00Z'), 'no', r?.endedSince);
    assert.equal(pressed, `Approved by Megan Bowen at 09:06 UTC on 2026-07-01. ${ended}`);
  });

  it('stage 1 approved by a third approver: not applied, the request denied since', async () => {
    const { error } = await recover(readOf(stages(person(ADELE, 'Adele Vance'))));
    assert.ok(error instanceof DecidedElsewhereError, String(error));
    assert.equal(error.currentState, 'Denied');
    assert.equal(error.ownStageOpen, false);
  });
});
