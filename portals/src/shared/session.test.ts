import { describe, expect, it, vi } from "vitest";
import { Api, Session, withQuery } from "./session";
import { token } from "./testing";

class MemoryStorage {
  data = new Map<string, string>();
  getItem(key: string) { return this.data.get(key) ?? null; }
  setItem(key: string, value: string) { this.data.set(key, value); }
  removeItem(key: string) { this.data.delete(key); }
}

const tokens = (n: number) => ({
  access_token: token({ sub: `u${n}`, kind: "staff", tid: "t1", perm: "billing:read:tenant", exp: Math.floor(Date.now() / 1000) + 900 }),
  token_type: "Bearer", expires_in: 900, refresh_token: `r${n}`,
});
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("session", () => {
  it("refreshes once for concurrent callers and rotates the refresh token", async () => {
    const storage = new MemoryStorage();
    const fetcher = vi.fn(async () => json(tokens(2)));
    const session = new Session("k", storage, fetcher as unknown as typeof fetch);
    session.start(tokens(1));
    const results = await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(results).toEqual([true, true, true]);
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(JSON.parse((fetcher.mock.calls[0] as unknown as [string, RequestInit])[1].body as string)).toEqual({ refreshToken: "r1" });
    expect(JSON.parse(storage.getItem("k")!).refreshToken).toBe("r2");
    expect(session.claims?.subject).toBe("u2");
    session.end();
  });

  it("ends the session when the refresh token is refused", async () => {
    const session = new Session("k", new MemoryStorage(), (async () => json({ title: "Unauthorized" }, 401)) as unknown as typeof fetch);
    session.start(tokens(1));
    expect(await session.refresh()).toBe(false);
    expect(session.claims).toBeNull();
    expect(session.endReason).toBe("expired");
  });

  it("retries a call once after a 401 with the renewed token", async () => {
    const storage = new MemoryStorage();
    const seen: string[] = [];
    const fetcher = vi.fn(async (url: string, init: RequestInit) => {
      if (url.endsWith("/auth/refresh")) return json(tokens(2));
      const auth = (init.headers as Record<string, string>).Authorization ?? "";
      seen.push(auth);
      return seen.length === 1 ? json({ title: "Unauthorized" }, 401) : json({ ok: true });
    });
    const session = new Session("k", storage, fetcher as unknown as typeof fetch);
    session.start(tokens(1));
    const api = new Api(session, fetcher as unknown as typeof fetch);
    expect(await api.get<{ ok: boolean }>("/api/v1/billing/invoices")).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
    session.end();
  });

  it("sends the picked tenant only for platform staff", async () => {
    const headers: Record<string, string>[] = [];
    const fetcher = (async (_: string, init: RequestInit) => { headers.push(init.headers as Record<string, string>); return json({}); }) as unknown as typeof fetch;
    const session = new Session("k", new MemoryStorage(), fetcher);
    session.start({ access_token: token({ sub: "root", perm: "*:*:global", exp: Math.floor(Date.now() / 1000) + 900 }), token_type: "Bearer", expires_in: 900 });
    session.actAsTenant("t9");
    await new Api(session, fetcher).get("/x");
    expect(headers[0]!["X-Tenant-Id"]).toBe("t9");
    session.end();
  });

  it("builds query strings without empty values", () => {
    expect(withQuery("/a", { limit: 25, after: undefined, q: "", status: "active" })).toBe("/a?limit=25&status=active");
    expect(withQuery("/a?x=1", { q: "jane doe" })).toBe("/a?x=1&q=jane+doe");
  });
});
