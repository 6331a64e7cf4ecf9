/**
 * One HTTP request over real loopback HTTP with fetch, JSON in and (when it parses) JSON out: the
 * way the integration tests and the reliability harness talk to a running API.
 */

export interface HttpRequestInit {
  /** API key sent as a bearer token; null or absent sends none. */
  readonly key?: string | null;
  readonly json?: unknown;
  /** A body as given (bytes: sent exactly, e.g. invalid UTF-8). */
  readonly body?: string | Uint8Array;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  /** Default 30 s. */
  readonly timeoutMs?: number;
}

export interface HttpResult {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly headers: Headers;
}

/** One HTTP request; network errors are returned as status 0 (the caller decides to retry). */
export async function request(
  base: string,
  method: string,
  path: string,
  init: HttpRequestInit = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== undefined && init.key !== null) headers.authorization = `Bearer ${init.key}`;
  let body: string | Uint8Array | undefined;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] = init.contentType ?? 'application/json';
  } else if (init.body !== undefined) {
    body = init.body;
    if (init.contentType !== undefined) headers['content-type'] = init.contentType;
  }
  try {
    const res = await fetch(`${base}${path}`, { method, headers, body, signal: AbortSignal.timeout(init.timeoutMs ?? 30_000) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed, headers: res.headers };
  } catch (err) {
    return { status: 0, body: { error: { code: 'network', message: (err as Error).message } }, headers: new Headers() };
  }
}
