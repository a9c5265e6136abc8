import type { ReactNode } from "react";
import { describe } from "../problem";

export function Alert({ kind, children }: { kind: "error" | "info" | "success" | "warning"; children: ReactNode }) {
  return (
    <div className={`alert ${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

export function ErrorMessage({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <Alert kind="error">
      {describe(error)}
      {retry && (
        <button type="button" className="button link" onClick={retry}>Try again</button>
      )}
    </Alert>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function Progress({ value, max, label }: { value: number; max: number; label: string }) {
  const percent = max > 0 ? Math.round((value / max) * 100) : 0;
  return (
    <div className="progress" title={`${label}: ${percent}%`}>
      <progress value={value} max={max} aria-label={label}>{percent}%</progress>
      <span className="progress-text">{percent}%</span>
    </div>
  );
}

export function Status({ value }: { value: string }) {
  return <span className={`status status-${value.toLowerCase().replace(/[^a-z]/g, "")}`}>{value}</span>;
}
