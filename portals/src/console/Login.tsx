import { useState } from "react";
import { useServices } from "../shared/app";
import { ApiError } from "../shared/problem";
import type { TokenResponse } from "../shared/session";
import { Field, Form, required } from "../shared/ui/Form";
import { Alert } from "../shared/ui/Feedback";
import { LoginCard } from "../shared/ui/Shell";
import { PasswordChangeForm } from "../shared/ui/PasswordChange";

interface LoginValues {
  email: string;
  password: string;
  tenant: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const rememberKey = "dotmac.console.tenant";

/** The tenant as identity takes it: a UUID as tenantId, anything else as the tenant's slug; none for platform staff. */
export function tenantFields(tenant: string): { tenantId: string | null; tenant: string | null } {
  const value = tenant.trim();
  if (!value) return { tenantId: null, tenant: null };
  return uuid.test(value) ? { tenantId: value, tenant: null } : { tenantId: null, tenant: value.toLowerCase() };
}

function initialTenant(): string {
  const fromLink = new URLSearchParams(window.location.search).get("tenant");
  return fromLink ?? localStorage.getItem(rememberKey) ?? "";
}

/** Staff login; a first login or an expired password leads to the password change, then back to login. */
export function Login() {
  const { api, session } = useServices();
  const [change, setChange] = useState<{ email: string; reason: string; tenant: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(session.endReason === "expired" ? "Your session has ended; please log in again." : null);

  if (change) {
    return (
      <LoginCard title="Change your password">
        <Alert kind="warning">{change.reason}</Alert>
        <PasswordChangeForm loginLabel="Email" initialLogin={change.email} currentLabel="Current password" submitLabel="Change password"
          onSubmit={async (v) => {
            await api.request("/api/v1/identity/auth/password", { method: "POST", anonymous: true,
              body: { email: v.login, currentPassword: v.currentPassword, newPassword: v.newPassword, ...tenantFields(change.tenant) } });
            setChange(null);
            setNotice("Password changed. Log in with the new password.");
          }} />
      </LoginCard>
    );
  }

  return (
    <LoginCard title="DotMac console">
      {notice && <Alert kind="info">{notice}</Alert>}
      <Form<LoginValues>
        label="Log in"
        initial={{ email: "", password: "", tenant: initialTenant() }}
        submitLabel="Log in"
        busyLabel="Logging in…"
        validate={(v) => ({
          email: required(v.email, "Email") ?? (/^\S+@\S+$/.test(v.email) ? undefined : "Enter an email address."),
          password: required(v.password, "Password"),
          tenant: v.tenant.trim() && !uuid.test(v.tenant.trim()) && !/^[a-z0-9][a-z0-9-]{1,62}$/i.test(v.tenant.trim()) ? "Your organisation's short name (e.g. carter-networks) or its id." : undefined,
        })}
        onSubmit={async (v) => {
          try {
            const tokens = await api.request<TokenResponse>("/api/v1/identity/auth/login", { method: "POST", anonymous: true,
              body: { email: v.email.trim(), password: v.password, ...tenantFields(v.tenant) } });
            if (v.tenant.trim()) localStorage.setItem(rememberKey, v.tenant.trim());
            else localStorage.removeItem(rememberKey);
            session.start(tokens);
          } catch (error) {
            if (error instanceof ApiError && (error.code === "password.change_required" || error.code === "password.expired")) {
              setChange({ email: v.email.trim(), reason: error.problem.detail ?? "The password must be changed.", tenant: v.tenant });
              return;
            }
            throw error;
          }
        }}
      >
        {({ values, errors, set }) => (
          <>
            <Field label="Organisation" name="tenant" value={values.tenant} onChange={(v) => set("tenant", v)} error={errors.tenant}
              hint="Your ISP's short name in DotMac (e.g. carter-networks). Platform staff leave it empty." autoComplete="organization" />
            <Field label="Email" name="email" type="email" value={values.email} onChange={(v) => set("email", v)} error={errors.email} required autoComplete="username" inputMode="email" />
            <Field label="Password" name="password" type="password" value={values.password} onChange={(v) => set("password", v)} error={errors.password} required autoComplete="current-password" />
          </>
        )}
      </Form>
    </LoginCard>
  );
}
