import { describe, expect, it } from "vitest";
import { can, isPlatformStaff, parsePermission, readClaims } from "./claims";

import { token } from "./testing";

describe("claims", () => {
  it("reads one permission as a string and several as an array", () => {
    const one = readClaims(token({ sub: "u1", kind: "staff", tid: "t1", perm: "billing:read:tenant", role: "billing_clerk", exp: 100 }));
    expect(one.permissions).toEqual([{ resource: "billing", action: "read", scope: "tenant" }]);
    expect(one.roles).toEqual(["billing_clerk"]);
    expect(one.expiresAt).toBe(100_000);
    const many = readClaims(token({ sub: "u1", perm: ["customers:read:tenant", "network:*:tenant"], exp: 1 }));
    expect(many.permissions).toHaveLength(2);
    expect(can(many, "network", "write")).toBe(true);
    expect(can(many, "billing", "read")).toBe(false);
  });

  it("decodes UTF-8 in claims", () => {
    expect(readClaims(token({ sub: "Zoë", exp: 1 })).subject).toBe("Zoë");
  });

  it("matches wildcards the way the services do", () => {
    const admin = readClaims(token({ sub: "root", perm: "*:*:global", exp: 1 }));
    expect(can(admin, "anything", "write")).toBe(true);
    expect(isPlatformStaff(admin)).toBe(true);
    expect(isPlatformStaff(readClaims(token({ sub: "a", tid: "t", perm: "users:read:tenant", exp: 1 })))).toBe(false);
    expect(can(null, "billing", "read")).toBe(false);
  });

  it("ignores malformed permissions", () => {
    expect(parsePermission("billing:read")).toBeNull();
    expect(parsePermission("billing:read:planet")).toBeNull();
    expect(parsePermission(":read:own")).toBeNull();
    expect(() => readClaims("not-a-token")).toThrow();
  });
});
