/** An answer of the API that was not 2xx, with the server's `{message}` in words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** REST client for the same-origin `/api`; sends the session token as a Bearer header. */
export class Api {
  token: string | null = null;

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'Cannot reach the exchange: check your connection.');
    }
    const text = await response.text();
    const data: unknown = text ? parseJson(text) : undefined;
    if (!response.ok) {
      const error = data as { message?: unknown; code?: unknown } | undefined;
      const message = typeof error?.message === 'string' && error.message ? error.message : `The exchange answered ${response.status} ${response.statusText}.`;
      throw new ApiError(response.status, message, typeof error?.code === 'string' ? error.code : undefined);
    }
    return data as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}
