import { describe, expect, it } from "vitest";
import { ApiError, describe as say, normaliseField, readProblem } from "./problem";

describe("problem details", () => {
  it("names form fields from the server's error keys", () => {
    expect(normaliseField("PortalId")).toBe("portalId");
    expect(normaliseField("$.portalId")).toBe("portalId");
    expect(normaliseField("terms.price")).toBe("price");
    expect(normaliseField("address.city")).toBe("city");
    expect(normaliseField("settings.taxRates[0].name")).toBe("name");
    expect(normaliseField(".dunning.reminderDays")).toBe("reminderDays");
  });

  it("joins several messages of one field", () => {
    const error = new ApiError(422, { errors: { newPassword: ["must be at least 12 characters", "must contain a digit"] } });
    expect(error.fieldErrors).toEqual({ newPassword: "must be at least 12 characters must contain a digit" });
  });

  it("reads a problem response and falls back to the status", async () => {
    const body = JSON.stringify({ title: "Conflict", status: 409, detail: "The slug is taken.", code: "tenant.slug_taken" });
    const error = await readProblem(new Response(body, { status: 409, headers: { "content-type": "application/problem+json" } }));
    expect(error.code).toBe("tenant.slug_taken");
    expect(say(error)).toBe("The slug is taken.");
    const bare = await readProblem(new Response("oops", { status: 502, statusText: "Bad Gateway" }));
    expect(say(bare)).toBe("Bad Gateway");
    const limited = await readProblem(new Response("", { status: 429, headers: { "retry-after": "7" } }));
    expect(say(limited)).toContain("7 s");
  });
});
