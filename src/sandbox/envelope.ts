// The simulated tenant's request and response shapes, and how every answer is dressed: Graph's
// request-id headers and its error envelope (graph-reference §10.1).

import { randomUUID } from 'node:crypto';

export interface SimRequest {
  readonly method: string;
  /** Path and query, e.g. /v1.0/roleManagement/...?$select=id */
  readonly url: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
}

export interface SimResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** innerError.date: UTC, no Z, no fractional seconds (graph-reference §10.1). */
export function graphDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export interface Envelope {
  /** request-id, date and diagnostics, echoing the caller's client-request-id. */
  headers(req: SimRequest): Record<string, string>;
  ok(req: SimRequest, status: 200 | 204): SimResponse;
  json(req: SimRequest, status: number, body: unknown): SimResponse;
  /**
   * The Graph error envelope, always with its innerError (date, request-id, client-request-id:
   * https://learn.microsoft.com/en-us/graph/errors); `details` when the service sends that array
   * (entitlement management sends `"details": []`).
   */
  error(req: SimRequest, status: number, code: string, message: string, details?: readonly unknown[]): SimResponse;
}

export function createEnvelope(now: () => number): Envelope {
  const headers = (req: SimRequest): Record<string, string> => {
    const h: Record<string, string> = {
      'request-id': randomUUID(),
      date: new Date(now()).toUTCString(),
      'x-ms-ags-diagnostic':
        '{"ServerInfo":{"DataCenter":"Sandbox","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"SIM"}}',
    };
    const crid = req.headers['client-request-id'];
    if (crid) h['client-request-id'] = crid;
    return h;
  };
  return {
    headers,
    ok: (req, status) => ({ status, headers: headers(req) }),
    json: (req, status, body) => ({
      status,
      headers: { ...headers(req), 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
    }),
    error: (req, status, code, message, details) => {
      const h = headers(req);
      const err: Record<string, unknown> = { code, message };
      if (details) err.details = details;
      const inner: Record<string, unknown> = { date: graphDate(now()), 'request-id': h['request-id'] };
      if (h['client-request-id']) inner['client-request-id'] = h['client-request-id'];
      err.innerError = inner;
      return {
        status,
        headers: { ...h, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ error: err }),
      };
    },
  };
}
