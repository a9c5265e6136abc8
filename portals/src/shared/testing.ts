// Test helpers: an unsigned JWT with the given claims (the portals read claims, they never verify signatures).
const encode = (value: object) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value)))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export const token = (payload: object) => `${encode({ alg: "ES256", typ: "at+jwt" })}.${encode(payload)}.signature`;
