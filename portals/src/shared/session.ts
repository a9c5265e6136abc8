import { readClaims, type Claims } from "./claims";
import { ApiError, readProblem } from "./problem";

// One signed-in user per tab: tokens kept in sessionStorage (gone with the tab), the access token renewed quietly at
// four fifths of its life and on a 401, with refresh-token rotation (each refresh token is used once). Concurrent
// callers share one refresh. When renewal fails the session ends and the app shows its login page.

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string | null;
  scope?: string | null;
}

interface Stored {
  accessToken: string;
  refreshToken: string | null;
  tenantId: string | null; // platform staff acting for a tenant (X-Tenant-Id)
}

type Listener = () => void;

export class Session {
  private stored: Stored | null;
  private claimsCache: Claims | null = null;
  private refreshing: Promise<boolean> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<Listener>();
  private ended: string | null = null;

  constructor(
    private readonly key: string,
    private readonly storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> = sessionStorage,
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
    private readonly now: () => number = Date.now,
  ) {
    this.stored = this.load();
    this.schedule();
  }

  get claims(): Claims | null {
    if (!this.stored) return null;
    this.claimsCache ??= readClaims(this.stored.accessToken);
    return this.claimsCache;
  }

  get accessToken(): string | null {
    return this.stored?.accessToken ?? null;
  }

  get tenantId(): string | null {
    return this.stored?.tenantId ?? this.claims?.tenantId ?? null;
  }

  /** Why the last session ended without a logout ("expired"), for the login page to say. */
  get endReason(): string | null {
    return this.ended;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(tokens: TokenResponse): void {
    this.ended = null;
    this.save({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token ?? null, tenantId: null });
  }

  actAsTenant(tenantId: string | null): void {
    if (!this.stored) return;
    this.save({ ...this.stored, tenantId });
  }

  end(reason: string | null = null): void {
    this.ended = reason;
    clearTimeout(this.timer);
    this.stored = null;
    this.claimsCache = null;
    this.storage.removeItem(this.key);
    this.emit();
  }

  /** Renews the tokens once, however many callers ask at the same time; false when the session is over. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const current = this.stored;
    if (!current?.refreshToken) {
      if (current) this.end("expired");
      return false;
    }
    let response: Response;
    try {
      response = await this.fetcher("/api/v1/identity/auth/refresh", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      });
    } catch {
      return false; // offline: keep the session, the next call tries again
    }
    if (!response.ok) {
      if (response.status === 401 || response.status === 400 || response.status === 403) this.end("expired");
      return false;
    }
    const tokens = (await response.json()) as TokenResponse;
    this.save({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token ?? null, tenantId: current.tenantId });
    return true;
  }

  private save(stored: Stored): void {
    this.stored = stored;
    this.claimsCache = null;
    this.storage.setItem(this.key, JSON.stringify(stored));
    this.schedule();
    this.emit();
  }

  private load(): Stored | null {
    try {
      const raw = this.storage.getItem(this.key);
      if (!raw) return null;
      const stored = JSON.parse(raw) as Stored;
      readClaims(stored.accessToken);
      return stored;
    } catch {
      this.storage.removeItem(this.key);
      return null;
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const claims = this.claims;
    if (!claims || !this.stored?.refreshToken) return;
    const lifetime = claims.expiresAt - this.now();
    const delay = Math.max(1_000, lifetime * 0.8);
    this.timer = setTimeout(() => void this.refresh(), Math.min(delay, 2_147_000_000));
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Accept a non-JSON answer (e.g. an invoice's HTML) as text. */
  text?: boolean;
  anonymous?: boolean;
}

/** The gateway's API, same origin: bearer token, the tenant picked by platform staff, problem details as ApiError. */
export class Api {
  constructor(
    private readonly session: Session,
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
  ) {}

  get<T>(path: string, query?: RequestOptions["query"], signal?: AbortSignal): Promise<T> {
    return this.request<T>(path, { query, signal });
  }

  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return this.request<T>(path, { method: "POST", body, headers });
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>(path, { method: "PUT", body });
  }

  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>(path, { method: "PATCH", body });
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>(path, { method: "DELETE" });
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    let response = await this.send(path, options);
    if (response.status === 401 && !options.anonymous && this.session.accessToken) {
      if (await this.session.refresh()) response = await this.send(path, options);
    }
    if (!response.ok) throw await readProblem(response);
    if (response.status === 204) return undefined as T;
    if (options.text) return (await response.text()) as T;
    const type = response.headers.get("content-type") ?? "";
    return (type.includes("json") ? await response.json() : await response.text()) as T;
  }

  private async send(path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { Accept: options.text ? "text/html, */*" : "application/json", ...options.headers };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const token = this.session.accessToken;
    if (token && !options.anonymous) headers.Authorization = `Bearer ${token}`;
    const claims = this.session.claims;
    const tenant = this.session.tenantId;
    if (!options.anonymous && tenant && claims && claims.tenantId === null) headers["X-Tenant-Id"] = tenant;
    try {
      return await this.fetcher(withQuery(path, options.query), {
        method: options.method ?? "GET",
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      throw new ApiError(0, { title: "Network error", detail: "The gateway cannot be reached. Check the connection and try again." });
    }
  }
}

export function withQuery(path: string, query?: RequestOptions["query"]): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes("?") ? "&" : "?"}${text}` : path;
}

/** A new idempotency key per submission (a retry of the same submission reuses it). */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
