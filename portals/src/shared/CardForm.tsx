import { Field, Form } from "./ui/Form";
import { parseAmount } from "./format";

export interface CardValues { amount: string; number: string; expiry: string; cvc: string }

/** Luhn's check, so a typo is caught before the processor sees it. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length >= 12 && sum % 10 === 0;
}

/** "MM/YY" or "MM/YYYY" as month and four-digit year, or null. */
export function parseExpiry(text: string, now = new Date()): { month: number; year: number } | null {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!match) return null;
  const month = Number(match[1]);
  const year = match[2]!.length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  if (month < 1 || month > 12) return null;
  if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1)) return null;
  return { month, year };
}

export function CardForm({ initialAmount, currency, onPay, submitLabel = "Pay" }: {
  initialAmount: string;
  currency: string;
  submitLabel?: string;
  onPay: (amount: number, card: { number: string; expiryMonth: number; expiryYear: number; cvc: string }) => Promise<void>;
}) {
  return (
    <Form<CardValues>
      label="Pay by card"
      initial={{ amount: initialAmount, number: "", expiry: "", cvc: "" }}
      submitLabel={submitLabel}
      busyLabel="Paying…"
      validate={(v) => ({
        amount: parseAmount(v.amount) && parseAmount(v.amount)! > 0 ? undefined : "An amount such as 29.99.",
        number: luhn(v.number.replace(/[\s-]/g, "")) ? undefined : "This card number is not valid.",
        expiry: parseExpiry(v.expiry) ? undefined : "The expiry as MM/YY, not in the past.",
        cvc: /^\d{3,4}$/.test(v.cvc.trim()) ? undefined : "Three or four digits.",
      })}
      onSubmit={async (v) => {
        const expiry = parseExpiry(v.expiry)!;
        await onPay(parseAmount(v.amount)!, { number: v.number.replace(/[\s-]/g, ""), expiryMonth: expiry.month, expiryYear: expiry.year, cvc: v.cvc.trim() });
      }}
    >
      {({ values, errors, set }) => (
        <>
          <Field label={`Amount (${currency})`} name="amount" inputMode="decimal" value={values.amount} onChange={(v) => set("amount", v)} error={errors.amount} required />
          <Field label="Card number" name="number" inputMode="numeric" autoComplete="cc-number" value={values.number} onChange={(v) => set("number", v)} error={errors.number} required />
          <div className="form-row">
            <Field label="Expiry (MM/YY)" name="expiry" autoComplete="cc-exp" value={values.expiry} onChange={(v) => set("expiry", v)} error={errors.expiry} required />
            <Field label="CVC" name="cvc" inputMode="numeric" autoComplete="cc-csc" value={values.cvc} onChange={(v) => set("cvc", v)} error={errors.cvc} required />
          </div>
        </>
      )}
    </Form>
  );
}
