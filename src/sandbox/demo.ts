// The sandbox's "demo" command: what a Logic App or a governance watcher would do in a real
// tenant. It asks the simulated tenant for fresh items waiting on the user, mints an app token,
// and posts the notification events to the bot's real intake, for the user's own chat and for
// the team channels that follow each category.

import type { SandboxLink } from '../app';
import { categoryOfEventKind } from '../alerts/categories';

async function postJson(url: string, body: unknown, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
}

/**
 * SandboxLink.demo for the simulated tenant at `base` (its origin), whose SSO app is `clientId`,
 * and the bot listening on loopback at `botPort`: returns how many events reached the user's chat.
 */
export function sandboxDemo(base: string, clientId: string, botPort: number): SandboxLink['demo'] {
  return async (aadObjectId) => {
    const ids = (await (await postJson(`${base}/_sandbox/demoItems`, { approverId: aadObjectId })).json()) as Record<
      string,
      string | null
    >;
    const tokenRes = (await (
      await postJson(`${base}/_sandbox/appToken`, { audience: clientId, roles: ['Notifications.Send'] })
    ).json()) as { token: string };
    const stamp = Date.now().toString(36);
    const events = [
      {
        eventId: `demo-role-${stamp}`,
        kind: 'roleRequest',
        target: { userId: aadObjectId },
        requestId: ids.roleRequestId,
        principalName: 'Adele Vance',
        roleName: 'Global Administrator',
        duration: '8 hours',
      },
      {
        eventId: `demo-task-${stamp}`,
        kind: 'taskCallout',
        target: { userId: aadObjectId },
        callout: {
          source: 'Lifecycle Workflows',
          type: 'lifecycleEvent',
          data: {
            '@odata.type': '#microsoft.graph.identityGovernance.customTaskExtensionCalloutData',
            subject: { displayName: 'Adele Vance' },
            task: { id: ids.taskId, displayName: 'Order a laptop' },
            taskProcessingResult: { id: ids.taskProcessingResultId },
            workflow: { id: ids.workflowId, displayName: 'Onboard new hires' },
            callbackUriPath: `/identityGovernance/lifecycleWorkflows/workflows/${ids.workflowId}/tasks/${ids.taskId}/taskProcessingResults/${ids.taskProcessingResultId}/microsoft.graph.identityGovernance.resume`,
          },
        },
      },
      {
        eventId: `demo-access-${stamp}`,
        kind: 'accessRequest',
        target: { userId: aadObjectId },
        requestId: ids.accessRequestId,
        principalName: 'Alex Wilber',
        accessPackageName: 'Marketing campaign tools',
      },
      // One waiting for the demo user's own decision (Approve / Deny on the card, or my approvals).
      ...(ids.roleApprovalId
        ? [
            {
              eventId: `demo-approval-${stamp}`,
              kind: 'roleApproval',
              target: { userId: aadObjectId },
              requestId: ids.roleApprovalId,
              principalName: ids.roleApprovalPrincipal ?? undefined,
              roleName: 'Exchange Administrator',
              duration: '4 hours',
            },
          ]
        : []),
    ];
    // The same items announced to the team's channels that follow their category.
    const forChannels = events.map((e) => ({
      ...e,
      eventId: `${e.eventId}-channels`,
      target: { category: categoryOfEventKind(e.kind) },
    }));
    let accepted = 0;
    for (const e of [...events, ...forChannels]) {
      const res = await postJson(`http://127.0.0.1:${botPort}/api/notifications`, e, tokenRes.token);
      // The count is what arrives in the user's own chat.
      if (res.status === 202 && 'userId' in e.target) accepted++;
    }
    return accepted;
  };
}
