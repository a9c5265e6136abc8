import { useState } from "react";
import { useApi, useClaims } from "../../shared/app";
import { can } from "../../shared/claims";
import { dateTime } from "../../shared/format";
import { Field, Form, required } from "../../shared/ui/Form";
import { passwordProblem } from "../../shared/ui/PasswordChange";
import { ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";
import { KeysetPager, Table } from "../../shared/ui/Table";

interface User { id: string; email: string; displayName: string; status: string; roles: string[]; createdAt: string }
interface Role { id: string; tenantId: string | null; name: string; description: string; builtIn: boolean; permissions: string[] }

export function Users() {
  const api = useApi();
  const claims = useClaims();
  const [trail, setTrail] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const after = trail[trail.length - 1];
  const users = useLoad((signal) => api.get<{ items: User[]; next: string | null }>("/api/v1/identity/users", { limit: 25, after }, signal), [after]);
  const roles = useLoad((signal) => can(claims, "roles", "read") ? api.get<Role[]>("/api/v1/identity/roles", undefined, signal) : Promise.resolve([]), []);
  return (
    <>
      <PageHeader title="Users and roles">
        {can(claims, "users", "write") && <button type="button" className="button primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>New user</button>}
      </PageHeader>
      {creating && roles.data && (
        <Section title="New user">
          <CreateUser roles={roles.data.filter((r) => r.name !== "super_admin" && r.name !== "customer")} onCreated={() => { setCreating(false); users.reload(); }} />
        </Section>
      )}
      <Section title="Users">
        {users.error ? <ErrorMessage error={users.error} retry={users.reload} /> : !users.data ? <Loading /> : (
          <>
            <Table<User> caption="Users" rows={users.data.items} rowKey={(u) => u.id} columns={[
              { header: "Name", cell: (u) => u.displayName },
              { header: "Email", cell: (u) => u.email },
              { header: "Roles", cell: (u) => u.roles.join(", ") },
              { header: "Status", cell: (u) => <Status value={u.status} /> },
              { header: "Since", cell: (u) => dateTime(u.createdAt) },
            ]} />
            <KeysetPager trail={trail} next={users.data.next} onChange={setTrail} />
          </>
        )}
      </Section>
      {roles.data && roles.data.length > 0 && (
        <Section title="Roles">
          <Table<Role> caption="Roles" rows={roles.data} rowKey={(r) => r.id} columns={[
            { header: "Role", cell: (r) => r.name },
            { header: "Description", cell: (r) => r.description },
            { header: "Permissions", cell: (r) => r.permissions.join(" ") },
            { header: "Built in", cell: (r) => (r.builtIn ? "yes" : "no") },
          ]} />
        </Section>
      )}
    </>
  );
}

function CreateUser({ roles, onCreated }: { roles: Role[]; onCreated: () => void }) {
  const api = useApi();
  return (
    <Form<{ email: string; displayName: string; password: string; roles: string[] }>
      label="New user" initial={{ email: "", displayName: "", password: "", roles: [] }} submitLabel="Create user" busyLabel="Creating…"
      validate={(v) => ({
        email: required(v.email, "Email") ?? (/^\S+@\S+\.\S+$/.test(v.email) ? undefined : "Enter an email address."),
        displayName: required(v.displayName, "Name"),
        password: passwordProblem(v.password, ""),
        roles: v.roles.length ? undefined : "Choose at least one role.",
      })}
      onSubmit={async (v) => {
        await api.post("/api/v1/identity/users", { email: v.email.trim(), displayName: v.displayName.trim(), password: v.password, roles: v.roles });
        onCreated();
      }}
    >
      {({ values, errors, set }) => (
        <>
          <div className="form-row">
            <Field label="Email" name="email" type="email" value={values.email} onChange={(v) => set("email", v)} error={errors.email} required />
            <Field label="Name" name="displayName" value={values.displayName} onChange={(v) => set("displayName", v)} error={errors.displayName} required />
          </div>
          <Field label="Password" name="password" type="password" autoComplete="new-password" value={values.password} onChange={(v) => set("password", v)} error={errors.password} required
            hint="At least 12 characters, with a lower-case letter, an upper-case letter and a digit." />
          <fieldset className="field" aria-describedby={errors.roles ? "roles-error" : undefined}>
            <legend>Roles</legend>
            {roles.map((r) => (
              <label key={r.id} className="check">
                <input type="checkbox" checked={values.roles.includes(r.name)}
                  onChange={(e) => set("roles", e.target.checked ? [...values.roles, r.name] : values.roles.filter((x) => x !== r.name))} />
                {" "}{r.name} <span className="hint">{r.description}</span>
              </label>
            ))}
            {errors.roles && <p id="roles-error" className="field-error">{errors.roles}</p>}
          </fieldset>
        </>
      )}
    </Form>
  );
}
