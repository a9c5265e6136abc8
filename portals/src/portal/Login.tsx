import { useState } from "react";
import { useServices } from "../shared/app";
import { ApiError } from "../shared/problem";
import type { TokenResponse } from "../shared/session";
import { Field, Form, required } from "../shared/ui/Form";
import { Alert } from "../shared/ui/Feedback";
import { LoginCard } from "../shared/ui/Shell";
import { PasswordChangeForm } from "../shared/ui/PasswordChange";

/**
 * Portal ID and password. A new account (initial password from the ISP) is activated by choosing a password; an
 * expired password is changed the same way; a locked account says until when.
 */
export function Login() {
  const { api, session } = useServices();
  const [change, setChange] = useState<{ portalId: string; reason: string; first: boolean } | null>(null);
  const [notice, setNotice] = useState<{ kind: "info" | "success"; text: string } | null>(
    session.endReason === "expired" ? { kind: "info", text: "Your session has ended; please log in again." } : null);

  if (change) {
    return (
      <LoginCard title={change.first ? "Activate your account" : "Choose a new password"}>
        <Alert kind="warning">{change.reason}</Alert>
        <PasswordChangeForm loginLabel="Portal ID" initialLogin={change.portalId}
          currentLabel={change.first ? "Initial password (from your provider)" : "Current password"}
          submitLabel={change.first ? "Activate" : "Change password"}
          onSubmit={async (v) => {
            await api.request("/api/v1/identity/auth/portal/activate", { method: "POST", anonymous: true,
              body: { portalId: v.login, currentPassword: v.currentPassword, newPassword: v.newPassword } });
            setChange(null);
            setNotice({ kind: "success", text: change.first ? "Your account is active. Log in with your new password." : "Password changed. Log in with the new password." });
          }} />
      </LoginCard>
    );
  }

  return (
    <LoginCard title="My DotMac">
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      <Form<{ portalId: string; password: string }>
        label="Log in"
        initial={{ portalId: "", password: "" }}
        submitLabel="Log in"
        busyLabel="Logging in…"
        validate={(v) => ({
          portalId: required(v.portalId, "Portal ID") ?? (/^[A-Za-z0-9 -]{8,11}$/.test(v.portalId.trim()) ? undefined : "A Portal ID has 8 letters and digits."),
          password: required(v.password, "Password"),
        })}
        onSubmit={async (v) => {
          try {
            const tokens = await api.request<TokenResponse>("/api/v1/identity/auth/portal/login", { method: "POST", anonymous: true,
              body: { portalId: v.portalId.trim(), password: v.password } });
            session.start(tokens);
          } catch (error) {
            if (error instanceof ApiError && (error.code === "password.change_required" || error.code === "password.expired")) {
              setChange({ portalId: v.portalId.trim(), first: error.code === "password.change_required",
                reason: error.code === "password.change_required" ? "Welcome! Choose your own password to activate your account." : "Your password has expired; choose a new one." });
              return;
            }
            if (error instanceof ApiError && error.code === "login.locked_out")
              throw new ApiError(error.status, { ...error.problem, detail: `${error.problem.detail ?? "Too many failed logins."} Contact your provider if you need help sooner.` });
            throw error;
          }
        }}
      >
        {({ values, errors, set }) => (
          <>
            <Field label="Portal ID" name="portalId" value={values.portalId} onChange={(v) => set("portalId", v)} error={errors.portalId} required autoComplete="username" hint="On your welcome letter and every invoice." />
            <Field label="Password" name="password" type="password" value={values.password} onChange={(v) => set("password", v)} error={errors.password} required autoComplete="current-password" />
          </>
        )}
      </Form>
    </LoginCard>
  );
}
