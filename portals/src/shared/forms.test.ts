import { describe, expect, it } from "vitest";
import { luhn, parseExpiry } from "./CardForm";
import { money, parseAmount } from "./format";
import { passwordProblem } from "./ui/PasswordChange";

describe("form rules", () => {
  it("accepts the sandbox's test cards and refuses typos", () => {
    for (const card of ["4242424242424242", "4000000000000002", "4000000000009995", "4000000000000119", "4000000000000341"])
      expect(luhn(card)).toBe(true);
    expect(luhn("4242424242424241")).toBe(false);
    expect(luhn("42")).toBe(false);
  });

  it("reads expiry dates and refuses past ones", () => {
    const now = new Date(2026, 11, 3);
    expect(parseExpiry("12/26", now)).toEqual({ month: 12, year: 2026 });
    expect(parseExpiry("01/2030", now)).toEqual({ month: 1, year: 2030 });
    expect(parseExpiry("11/26", now)).toBeNull();
    expect(parseExpiry("13/30", now)).toBeNull();
    expect(parseExpiry("1230", now)).toBeNull();
  });

  it("parses amounts with two decimals at most", () => {
    expect(parseAmount("29.99")).toBe(29.99);
    expect(parseAmount("29,5")).toBe(29.5);
    expect(parseAmount("29.999")).toBeNull();
    expect(parseAmount("-1")).toBeNull();
    expect(money(1234.5, "USD")).toMatch(/1,?234\.50/);
  });

  it("checks the password policy identity applies", () => {
    expect(passwordProblem("short", "")).toMatch(/12 characters/);
    expect(passwordProblem("alllowercase123", "")).toMatch(/upper-case/);
    expect(passwordProblem("Correct-Horse-9", "Correct-Horse-9")).toMatch(/differ/);
    expect(passwordProblem("Correct-Horse-9", "old")).toBeUndefined();
  });
});
