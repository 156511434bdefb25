// Baseline for the benchmark: the same server (restify route, CloudAdapter, inbound JWT
// validation, configuration) with a bare echo handler instead of Governance Bot.

import { serveBaseline } from './baselineServer';

void serveBaseline((bot) => {
  bot.onMessage(async (ctx, next) => {
    await ctx.sendActivity({ type: 'message', text: `echo: ${ctx.activity.text ?? ''}`, summary: 'echo' });
    await next();
  });
});
