import { Field, Form, required } from "./Form";

export interface PasswordChangeValues {
  login: string;
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** The new password twice; the service's policy (length, not the login name, not the old one) answers field errors. */
export function PasswordChangeForm({ loginLabel, initialLogin, currentLabel, onSubmit, submitLabel }: {
  loginLabel: string;
  initialLogin: string;
  currentLabel: string;
  submitLabel: string;
  onSubmit: (values: PasswordChangeValues) => Promise<void>;
}) {
  return (
    <Form<PasswordChangeValues>
      label={submitLabel}
      initial={{ login: initialLogin, currentPassword: "", newPassword: "", confirm: "" }}
      submitLabel={submitLabel}
      busyLabel="Saving…"
      validate={(v) => ({
        login: required(v.login, loginLabel),
        currentPassword: required(v.currentPassword, currentLabel),
        newPassword: passwordProblem(v.newPassword, v.currentPassword),
        confirm: v.confirm !== v.newPassword ? "The passwords do not match." : undefined,
      })}
      onSubmit={onSubmit}
    >
      {({ values, errors, set }) => (
        <>
          <Field label={loginLabel} name="login" value={values.login} onChange={(v) => set("login", v)} error={errors.login} required autoComplete="username" />
          <Field label={currentLabel} name="currentPassword" type="password" value={values.currentPassword} onChange={(v) => set("currentPassword", v)} error={errors.currentPassword} required autoComplete="current-password" />
          <Field label="New password" name="newPassword" type="password" value={values.newPassword} onChange={(v) => set("newPassword", v)} error={errors.newPassword} required autoComplete="new-password" hint="At least 12 characters, with a lower-case letter, an upper-case letter and a digit." />
          <Field label="Repeat the new password" name="confirm" type="password" value={values.confirm} onChange={(v) => set("confirm", v)} error={errors.confirm} required autoComplete="new-password" />
        </>
      )}
    </Form>
  );
}

/** The same policy identity applies, checked before the call so the user hears it at once. */
export function passwordProblem(password: string, current: string): string | undefined {
  if (password.length < 12) return "Must be at least 12 characters.";
  if (!/[a-z]/.test(password) || !/[A-Z]/.test(password) || !/[0-9]/.test(password))
    return "Must contain a lower-case letter, an upper-case letter and a digit.";
  if (password === current) return "Must differ from the current password.";
  return undefined;
}
