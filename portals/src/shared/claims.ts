// What the access token says about its holder. The token is identity's ES256 JWT; the portals read its claims only to
// decide what to show (the gateway and the services check every call themselves), so no signature check here.

export type Scope = "own" | "tenant" | "global";

export interface Permission {
  resource: string;
  action: string;
  scope: Scope;
}

export interface Claims {
  subject: string;
  kind: string;
  tenantId: string | null;
  customerId: string | null;
  roles: string[];
  permissions: Permission[];
  expiresAt: number; // epoch milliseconds
}

function base64UrlDecode(part: string): string {
  const padded = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}

export function parsePermission(value: string): Permission | null {
  const parts = value.split(":");
  if (parts.length !== 3 || !parts[0] || !parts[1]) return null;
  const scope = parts[2];
  if (scope !== "own" && scope !== "tenant" && scope !== "global") return null;
  return { resource: parts[0], action: parts[1], scope };
}

export function readClaims(accessToken: string): Claims {
  const parts = accessToken.split(".");
  if (parts.length !== 3 || !parts[1]) throw new Error("Not a JWT.");
  const payload = JSON.parse(base64UrlDecode(parts[1])) as Record<string, unknown>;
  const exp = typeof payload.exp === "number" ? payload.exp : 0;
  return {
    subject: String(payload.sub ?? ""),
    kind: String(payload.kind ?? ""),
    tenantId: typeof payload.tid === "string" && payload.tid ? payload.tid : null,
    customerId: typeof payload.cid === "string" && payload.cid ? payload.cid : null,
    roles: list(payload.role),
    permissions: list(payload.perm).map(parsePermission).filter((p): p is Permission => p !== null),
    expiresAt: exp * 1000,
  };
}

/** Whether the holder may do `action` on `resource` at all (any scope), the same matching the services do. */
export function can(claims: Claims | null, resource: string, action: string): boolean {
  if (!claims) return false;
  return claims.permissions.some(
    (p) => (p.resource === "*" || p.resource === resource) && (p.action === "*" || p.action === action),
  );
}

/** Platform staff: a global permission and no tenant of their own. */
export function isPlatformStaff(claims: Claims | null): boolean {
  return !!claims && claims.tenantId === null && claims.permissions.some((p) => p.scope === "global");
}
