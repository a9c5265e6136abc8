import { useState } from "react";
import { useApi, useClaims } from "../../shared/app";
import { can } from "../../shared/claims";
import { dateTime } from "../../shared/format";
import { describe } from "../../shared/problem";
import { Field, Form, Select, required } from "../../shared/ui/Form";
import { Alert, ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";
import { Pager, Table } from "../../shared/ui/Table";
import type { OffsetPage } from "../model";

interface HistoryEvent { id: string; type: string; occurredAt: string; correlationId: string | null; payload: unknown }
interface EventType { type: string; contract: string }
interface Subscription { id: string; url: string; description: string | null; eventTypes: string[]; active: boolean; disabledReason: string | null; failingSince: string | null; createdAt: string }
interface Delivery { id: string; eventType: string; occurredAt: string; status: string; attempts: number; lastError: string | null; deliveredAt: string | null }

/** The tenant's event history (newest first, by type or by any id it mentions) and its partner webhooks. */
export function Events() {
  const api = useApi();
  const claims = useClaims();
  const [type, setType] = useState("");
  const [subject, setSubject] = useState("");
  const [cursors, setCursors] = useState<string[]>([]);
  const [open, setOpen] = useState<HistoryEvent | null>(null);
  const cursor = cursors[cursors.length - 1];
  const types = useLoad((signal) => api.get<EventType[]>("/api/v1/events/history/types", undefined, signal), []);
  const history = useLoad((signal) => api.get<{ items: HistoryEvent[]; nextCursor: string | null }>("/api/v1/events/history",
    { type, subjectId: /^[0-9a-f-]{36}$/i.test(subject.trim()) ? subject.trim() : undefined, limit: 25, cursor }, signal), [type, subject, cursor]);
  return (
    <>
      <PageHeader title="Events and webhooks" />
      <Section title="Event history">
        <div className="toolbar">
          <Select label="Type" name="type" value={type} onChange={(v) => { setType(v); setCursors([]); }}
            options={[{ value: "", label: "Every type" }, ...(types.data ?? []).map((t) => ({ value: t.type, label: t.type }))]} />
          <Field label="About (customer, order, invoice or device id)" name="subjectId" value={subject} onChange={(v) => { setSubject(v); setCursors([]); }} />
        </div>
        {history.error ? <ErrorMessage error={history.error} retry={history.reload} /> : !history.data ? <Loading /> : (
          <>
            <Table<HistoryEvent> caption="Event history" rows={history.data.items} rowKey={(e) => e.id} empty="No events match." columns={[
              { header: "Type", cell: (e) => <button type="button" className="button link" onClick={() => setOpen(e)}>{e.type}</button> },
              { header: "Occurred", cell: (e) => dateTime(e.occurredAt) },
              { header: "Correlation", cell: (e) => <code>{e.correlationId ?? "—"}</code> },
            ]} />
            <nav className="pager" aria-label="Pages">
              <button type="button" className="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>
              <button type="button" className="button" disabled={!history.data.nextCursor || history.data.items.length === 0}
                onClick={() => history.data?.nextCursor && setCursors([...cursors, history.data.nextCursor])}>Older</button>
            </nav>
          </>
        )}
        {open && <pre className="payload" aria-label={`Payload of ${open.type}`}>{JSON.stringify(open.payload, null, 2)}</pre>}
      </Section>
      {(can(claims, "webhooks", "read") || can(claims, "webhooks", "write")) && <Webhooks types={types.data ?? []} writable={can(claims, "webhooks", "write")} />}
    </>
  );
}

function Webhooks({ types, writable }: { types: EventType[]; writable: boolean }) {
  const api = useApi();
  const [offset, setOffset] = useState(0);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [selected, setSelected] = useState<Subscription | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const subscriptions = useLoad((signal) => api.get<OffsetPage<Subscription>>("/api/v1/events/webhooks/subscriptions", { limit: 25, offset }, signal), [offset]);
  async function toggle(s: Subscription) {
    try {
      await api.patch(`/api/v1/events/webhooks/subscriptions/${s.id}`, { active: !s.active });
      subscriptions.reload();
    } catch (error) {
      setMessage(describe(error));
    }
  }
  return (
    <>
      <Section title="Webhook subscriptions">
        {secret && <Alert kind="success">Subscribed {secret.url}. Its signing secret, shown once: <strong className="secret">{secret.secret}</strong></Alert>}
        {message && <Alert kind="error">{message}</Alert>}
        {subscriptions.error ? <ErrorMessage error={subscriptions.error} retry={subscriptions.reload} /> : !subscriptions.data ? <Loading /> : (
          <>
            <Table<Subscription> caption="Webhook subscriptions" rows={subscriptions.data.items} rowKey={(s) => s.id} empty="No subscriptions." columns={[
              { header: "URL", cell: (s) => <button type="button" className="button link" onClick={() => setSelected(s)}>{s.url}</button> },
              { header: "Events", cell: (s) => s.eventTypes.join(", ") },
              { header: "State", cell: (s) => <><Status value={s.active ? "active" : "disabled"} />{s.disabledReason ? ` ${s.disabledReason}` : ""}{s.failingSince ? ` failing since ${dateTime(s.failingSince)}` : ""}</> },
              ...(writable ? [{ header: "Actions", cell: (s: Subscription) => <button type="button" className="button" onClick={() => toggle(s)}>{s.active ? "Disable" : "Enable"}</button> }] : []),
            ]} />
            <Pager total={subscriptions.data.total} limit={25} offset={offset} onOffset={setOffset} />
          </>
        )}
        {writable && (
          <Form<{ url: string; eventTypes: string; description: string }>
            label="Subscribe a URL" initial={{ url: "", eventTypes: "", description: "" }} submitLabel="Subscribe" busyLabel="Subscribing…"
            validate={(v) => ({
              url: required(v.url, "URL") ?? (/^https?:\/\/\S+$/.test(v.url.trim()) ? undefined : "An http(s) URL."),
              eventTypes: required(v.eventTypes, "Event types"),
            })}
            onSubmit={async (v) => {
              const created = await api.post<{ subscription: Subscription; secret: string }>("/api/v1/events/webhooks/subscriptions", {
                url: v.url.trim(), description: v.description.trim() || null,
                eventTypes: v.eventTypes.split(/[\s,]+/).filter(Boolean),
              });
              setSecret({ url: created.subscription.url, secret: created.secret });
              subscriptions.reload();
            }}
          >
            {({ values, errors, set }) => (
              <>
                <Field label="URL" name="url" value={values.url} onChange={(x) => set("url", x)} error={errors.url} required />
                <Field label="Event types" name="eventTypes" value={values.eventTypes} onChange={(x) => set("eventTypes", x)} error={errors.eventTypes} required
                  hint={`Comma-separated: an exact type, a family such as invoice.*, or *. Known: ${types.slice(0, 6).map((t) => t.type).join(", ")}…`} />
                <Field label="Description" name="description" value={values.description} onChange={(x) => set("description", x)} error={errors.description} />
              </>
            )}
          </Form>
        )}
      </Section>
      {selected && <Deliveries subscription={selected} />}
    </>
  );
}

function Deliveries({ subscription }: { subscription: Subscription }) {
  const api = useApi();
  const [offset, setOffset] = useState(0);
  const page = useLoad((signal) => api.get<OffsetPage<Delivery>>(`/api/v1/events/webhooks/subscriptions/${subscription.id}/deliveries`, { limit: 25, offset }, signal), [subscription.id, offset]);
  return (
    <Section title={`Deliveries to ${subscription.url}`}>
      {page.error ? <ErrorMessage error={page.error} retry={page.reload} /> : !page.data ? <Loading /> : (
        <>
          <Table<Delivery> caption={`Deliveries to ${subscription.url}`} rows={page.data.items} rowKey={(d) => d.id} empty="Nothing delivered yet." columns={[
            { header: "Event", cell: (d) => d.eventType },
            { header: "Occurred", cell: (d) => dateTime(d.occurredAt) },
            { header: "Status", cell: (d) => <Status value={d.status} /> },
            { header: "Attempts", numeric: true, cell: (d) => d.attempts },
            { header: "Last error", cell: (d) => d.lastError ?? "—" },
          ]} />
          <Pager total={page.data.total} limit={25} offset={offset} onOffset={setOffset} />
        </>
      )}
    </Section>
  );
}
