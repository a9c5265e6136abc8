import { useId, useState, type FormEvent, type ReactNode } from "react";
import { ApiError, describe } from "../problem";
import { Alert } from "./Feedback";

export type Errors = Record<string, string | undefined>;
export type Validate<T> = (values: T) => Errors;

interface FormProps<T> {
  initial: T;
  validate?: Validate<T>;
  onSubmit: (values: T) => Promise<void>;
  submitLabel: string;
  busyLabel?: string;
  children: (form: FormApi<T>) => ReactNode;
  label: string;
}

export interface FormApi<T> {
  values: T;
  errors: Errors;
  set: <K extends keyof T>(key: K, value: T[K]) => void;
  busy: boolean;
}

/**
 * A form that validates on the client first, then shows the server's problem details: field errors next to their
 * fields (by name), the rest above the form. The submit button says what is happening while the call runs.
 */
export function Form<T extends object>({ initial, validate, onSubmit, submitLabel, busyLabel, children, label }: FormProps<T>) {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof T>(key: K, value: T[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => ({ ...e, [key as string]: undefined }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = validate ? Object.fromEntries(Object.entries(validate(values)).filter(([, v]) => v)) : {};
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await onSubmit(values);
    } catch (error) {
      const fields = error instanceof ApiError ? error.fieldErrors : {};
      const known = Object.keys(values);
      const shown = Object.fromEntries(Object.entries(fields).filter(([k]) => known.includes(k)));
      setErrors(shown);
      const rest = Object.entries(fields).filter(([k]) => !known.includes(k));
      setFailure(
        Object.keys(shown).length > 0 && rest.length === 0
          ? "Some fields need attention."
          : [describe(error), ...rest.map(([k, v]) => `${k}: ${v}`)].join(" "),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={label} className="form">
      {failure && <Alert kind="error">{failure}</Alert>}
      {children({ values, errors, set, busy })}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy} aria-busy={busy}>
          {busy ? (busyLabel ?? "Working…") : submitLabel}
        </button>
      </div>
    </form>
  );
}

interface FieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  type?: string;
  hint?: string;
  required?: boolean;
  autoComplete?: string;
  inputMode?: "text" | "numeric" | "decimal" | "email";
}

export function Field({ label, name, value, onChange, error, type = "text", hint, required, autoComplete, inputMode }: FieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " invalid" : ""}`}>
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        required={required}
        autoComplete={autoComplete}
        inputMode={inputMode}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && <p id={`${id}-hint`} className="hint">{hint}</p>}
      {error && <p id={`${id}-error`} className="field-error">{error}</p>}
    </div>
  );
}

interface SelectProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  error?: string;
  required?: boolean;
  placeholder?: string;
}

export function Select({ label, name, value, onChange, options, error, required, placeholder }: SelectProps) {
  const id = useId();
  return (
    <div className={`field${error ? " invalid" : ""}`}>
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <select id={id} name={name} value={value} required={required} aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => onChange(e.target.value)}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
      {error && <p id={`${id}-error`} className="field-error">{error}</p>}
    </div>
  );
}

export const required = (value: string, what: string): string | undefined => (value.trim() ? undefined : `${what} is required.`);
