// A second baseline: the echo bot plus the one Graph request a `cancel role-request` command makes
// (POST .../roleAssignmentScheduleRequests/{id}/cancel with the user's delegated token over
// node:https with a keep-alive agent, the cheapest plain client Node has (global fetch costs about
// 0.25 ms more CPU per request), a 20 s deadline), answered with a one-line text. No sign-in, no state, no card, no audit:
// the least any bot must do for this command. Governance Bot's distance to this bot is its own
// cost; this bot's distance to the echo bot is the Graph request's (both ends of it share the
// machine's two cores with the simulated tenant).
//
// Tokens come from the bench (BENCH_GRAPH_TOKENS_FILE: {aadObjectId: token}), obtained from the
// simulated Entra with the same on-behalf-of exchange Governance Bot makes.

import * as fs from 'node:fs';
import * as https from 'node:https';
import { FLOOR_FAILED, serveBaseline } from './baselineServer';

const COMMAND = /^cancel role-request ([0-9a-f-]{36})$/i;

void serveBaseline((bot, config) => {
  const tokens = JSON.parse(fs.readFileSync(process.env.BENCH_GRAPH_TOKENS_FILE ?? '', 'utf8')) as Record<
    string,
    string
  >;
  const agent = new https.Agent({ keepAlive: true });
  const cancel = (id: string, token: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const url = `${config.graphEndpoint}/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${id}/cancel`;
      const req = https.request(
        url,
        { method: 'POST', headers: { authorization: `Bearer ${token}` }, agent, signal: AbortSignal.timeout(20_000) },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  bot.onMessage(async (ctx, next) => {
    // In a channel the text starts with the bot's <at> mention.
    const id = COMMAND.exec((ctx.activity.text ?? '').replace(/<at>[^<]*<\/at>/g, '').trim())?.[1];
    const token = tokens[ctx.activity.from.aadObjectId ?? ''];
    let text = 'usage: cancel role-request <id>';
    // A turn that did not make its Graph write is not a floor turn: said on stdout, counted by the bench.
    const failed = (status: number | null): void =>
      void process.stdout.write(`${JSON.stringify({ event: FLOOR_FAILED, status })}\n`);
    if (!id || !token) failed(null);
    else {
      try {
        const status = await cancel(id, token);
        text = status === 204 ? 'Cancelled.' : `Graph answered ${status}.`;
        if (status !== 204) failed(status);
      } catch {
        // A timeout or a network error: the turn still answers 200, so it must be counted here.
        text = 'Graph did not answer.';
        failed(null);
      }
    }
    await ctx.sendActivity({ type: 'message', text, summary: text });
    await next();
  });
});
