// Injected failures: the next N requests to a path answer 429 or 5xx, in Graph's own shape.

import { Envelope, SimRequest, SimResponse, graphDate } from './envelope';

export interface Fault {
  readonly method?: string;
  readonly pathIncludes: string;
  readonly status: number;
  /** How many requests it answers; default 1. */
  readonly times?: number;
  readonly retryAfter?: string;
  readonly code?: string;
  readonly message?: string;
}

export class Faults {
  private readonly pending: Array<Fault & { remaining: number }> = [];

  constructor(
    private readonly envelope: Envelope,
    private readonly now: () => number,
  ) {}

  inject(fault: Fault): void {
    this.pending.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** The failure this request meets, if one is armed for it (and uses it up). */
  take(req: SimRequest, path: string): SimResponse | null {
    const fault = this.pending.find(
      (f) =>
        f.remaining > 0 &&
        path.includes(f.pathIncludes) &&
        (!f.method || f.method.toUpperCase() === req.method.toUpperCase()),
    );
    if (!fault) return null;
    fault.remaining--;
    return this.response(fault, req);
  }

  /** A seeded item's one-time throttle: the first write to it answers 429, later ones go through. */
  throttleOnce(req: SimRequest, item: { throttleOnce?: unknown }): SimResponse | null {
    if (!item.throttleOnce) return null;
    item.throttleOnce = false;
    return this.response({ pathIncludes: '', status: 429, retryAfter: '1' }, req);
  }

  private response(f: Fault, req: SimRequest): SimResponse {
    if (f.status === 429) {
      const headers = this.envelope.headers(req);
      return {
        status: 429,
        headers: { ...headers, 'content-type': 'application/json', 'retry-after': f.retryAfter ?? '1' },
        body: JSON.stringify({
          error: {
            code: f.code ?? 'TooManyRequests',
            innerError: {
              code: '429',
              date: graphDate(this.now()),
              message: 'Please retry after',
              'request-id': headers['request-id'],
              status: '429',
            },
            message: f.message ?? 'Please retry again later.',
          },
        }),
      };
    }
    const res = this.envelope.error(
      req,
      f.status,
      f.code ?? (f.status >= 500 ? 'serviceNotAvailable' : 'generalException'),
      f.message ?? 'Simulated failure.',
    );
    if (f.retryAfter) res.headers['retry-after'] = f.retryAfter;
    return res;
  }
}
