// Money arrives from the API as decimal numbers (or strings) in a currency; shown with the browser's locale.

export function money(amount: number | string | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === "") return "—";
  const value = typeof amount === "string" ? Number(amount) : amount;
  if (!Number.isFinite(value)) return String(amount);
  if (!currency) return value.toFixed(2);
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

export function dateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function date(value: string | null | undefined): string {
  if (!value) return "—";
  const parsed = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  return Number.isNaN(parsed.getTime()) ? value : parsed.toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** A decimal typed by a user ("12", "12.5", "12,50") as a number with at most two decimals, or null. */
export function parseAmount(text: string): number | null {
  const normalised = text.trim().replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(normalised)) return null;
  return Number(normalised);
}

/** A count in the largest unit (by thousands) that keeps it at least 1: "1.5 GB", "120 Mbit/s". */
function scaled(value: number, units: readonly string[]): string {
  let v = value;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
}

export function bytes(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : scaled(value, ["B", "KB", "MB", "GB", "TB"]);
}

export function bitsPerSecond(value: number): string {
  return scaled(value, ["bit/s", "kbit/s", "Mbit/s", "Gbit/s"]);
}
