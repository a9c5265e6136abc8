import { useState } from "react";
import { useApi, useClaims } from "../../shared/app";
import { can } from "../../shared/claims";
import { dateTime } from "../../shared/format";
import { describe } from "../../shared/problem";
import { Field, Form, required } from "../../shared/ui/Form";
import { Alert, ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";
import { Table } from "../../shared/ui/Table";

interface Client { id: string; clientId: string; name: string; scopes: string[]; status: string; createdAt: string }

// The scopes an API client may hold (identity's list); each becomes a tenant-wide permission.
const scopes = ["customers:read", "customers:write", "billing:read", "billing:write", "services:read", "services:write",
  "network:read", "network:write", "events:read", "webhooks:read", "webhooks:write"];

/** A partner's machine credentials (OAuth 2.0 client credentials): create with the secret shown once, revoke. */
export function Clients() {
  const api = useApi();
  const claims = useClaims();
  const [created, setCreated] = useState<{ clientId: string; clientSecret: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const clients = useLoad((signal) => api.get<Client[]>("/api/v1/identity/clients", undefined, signal), []);
  const writable = can(claims, "clients", "write");
  async function revoke(client: Client) {
    if (!window.confirm(`Revoke ${client.name}? Its tokens stop working when they expire.`)) return;
    try {
      await api.delete(`/api/v1/identity/clients/${client.id}`);
      clients.reload();
    } catch (error) {
      setMessage(describe(error));
    }
  }
  return (
    <>
      <PageHeader title="API clients" />
      {created && <Alert kind="success">Client <code>{created.clientId}</code> created. Its secret, shown once: <strong className="secret">{created.clientSecret}</strong></Alert>}
      {message && <Alert kind="error">{message}</Alert>}
      <Section title="Clients">
        {clients.error ? <ErrorMessage error={clients.error} retry={clients.reload} /> : !clients.data ? <Loading /> : (
          <Table<Client> caption="API clients" rows={clients.data} rowKey={(c) => c.id} empty="No API clients." columns={[
            { header: "Name", cell: (c) => c.name },
            { header: "Client id", cell: (c) => <code>{c.clientId}</code> },
            { header: "Scopes", cell: (c) => c.scopes.join(" ") },
            { header: "Status", cell: (c) => <Status value={c.status} /> },
            { header: "Created", cell: (c) => dateTime(c.createdAt) },
            ...(writable ? [{ header: "Actions", cell: (c: Client) => (c.status === "active" ? <button type="button" className="button danger" onClick={() => revoke(c)}>Revoke</button> : null) }] : []),
          ]} />
        )}
      </Section>
      {writable && (
        <Section title="New API client">
          <Form<{ name: string; scopes: string[] }>
            label="New API client" initial={{ name: "", scopes: [] }} submitLabel="Create client" busyLabel="Creating…"
            validate={(v) => ({ name: required(v.name, "Name"), scopes: v.scopes.length ? undefined : "Choose at least one scope." })}
            onSubmit={async (v) => {
              setCreated(await api.post<{ clientId: string; clientSecret: string }>("/api/v1/identity/clients", { name: v.name.trim(), scopes: v.scopes }));
              clients.reload();
            }}
          >
            {({ values, errors, set }) => (
              <>
                <Field label="Name" name="name" value={values.name} onChange={(x) => set("name", x)} error={errors.name} required />
                <fieldset className="field">
                  <legend>Scopes</legend>
                  {scopes.map((s) => (
                    <label key={s} className="check">
                      <input type="checkbox" checked={values.scopes.includes(s)}
                        onChange={(e) => set("scopes", e.target.checked ? [...values.scopes, s] : values.scopes.filter((x) => x !== s))} /> {s}
                    </label>
                  ))}
                  {errors.scopes && <p className="field-error">{errors.scopes}</p>}
                </fieldset>
              </>
            )}
          </Form>
        </Section>
      )}
    </>
  );
}
