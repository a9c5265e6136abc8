import { useState } from "react";
import { Link, useParams } from "react-router";
import { useApi, useClaims } from "../../shared/app";
import { can } from "../../shared/claims";
import { dateTime, money } from "../../shared/format";
import { Field, Form, Select, required } from "../../shared/ui/Form";
import { Alert, ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";
import { KeysetPager, Table } from "../../shared/ui/Table";
import type { Customer, CustomerCreated, Invoice, OffsetPage, Order, Payment } from "../model";

export function Customers() {
  const api = useApi();
  const claims = useClaims();
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [trail, setTrail] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CustomerCreated | null>(null);
  const after = trail[trail.length - 1];
  const page = useLoad((signal) => api.get<{ items: Customer[]; next: string | null }>("/api/v1/identity/customers", { limit: 25, after, q: query }, signal), [after, query]);

  return (
    <>
      <PageHeader title="Customers">
        {can(claims, "customers", "write") && (
          <button type="button" className="button primary" onClick={() => { setCreating(!creating); setCreated(null); }} aria-expanded={creating}>
            New customer
          </button>
        )}
      </PageHeader>
      {created && (
        <Alert kind="success">
          <p>Customer {created.customer.name} created.</p>
          {created.portal && (
            <p>
              Portal ID <strong className="secret" data-testid="portal-id">{created.portal.portalId}</strong>, initial password{" "}
              <strong className="secret" data-testid="initial-password">{created.portal.initialPassword}</strong>. It is shown once: give
              it to the customer now; they choose their own at first login.
            </p>
          )}
          <Link to={`/customers/${created.customer.id}`}>Open {created.customer.name}</Link>
        </Alert>
      )}
      {creating && (
        <Section title="New customer">
          <CreateCustomer onCreated={(c) => { setCreated(c); setCreating(false); page.reload(); }} />
        </Section>
      )}
      <form className="toolbar" role="search" onSubmit={(e) => { e.preventDefault(); setTrail([]); setQuery(search.trim()); }}>
        <Field label="Search by name, email or Portal ID" name="q" value={search} onChange={setSearch} />
        <button type="submit" className="button">Search</button>
      </form>
      {page.error ? <ErrorMessage error={page.error} retry={page.reload} /> : null}
      {page.loading && !page.data ? <Loading /> : (
        <>
          <Table<Customer> caption="Customers" rows={page.data?.items ?? []} rowKey={(c) => c.id} columns={[
            { header: "Name", cell: (c) => <Link to={`/customers/${c.id}`}>{c.name}</Link> },
            { header: "Kind", cell: (c) => c.kind },
            { header: "Email", cell: (c) => c.email },
            { header: "Portal ID", cell: (c) => c.portalId ?? "—" },
            { header: "Portal", cell: (c) => (c.portalStatus ? <Status value={c.portalStatus} /> : "—") },
          ]} />
          <KeysetPager trail={trail} next={page.data?.next} onChange={setTrail} />
        </>
      )}
    </>
  );
}

interface NewCustomer {
  kind: string;
  name: string;
  email: string;
  phone: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
  portalAccount: string;
}

function CreateCustomer({ onCreated }: { onCreated: (created: CustomerCreated) => void }) {
  const api = useApi();
  return (
    <Form<NewCustomer>
      label="New customer"
      initial={{ kind: "residential", name: "", email: "", phone: "", line1: "", city: "", postalCode: "", country: "", portalAccount: "yes" }}
      submitLabel="Create customer"
      busyLabel="Creating…"
      validate={(v) => ({
        name: required(v.name, "Name"),
        email: required(v.email, "Email") ?? (/^\S+@\S+\.\S+$/.test(v.email) ? undefined : "Enter an email address."),
        line1: required(v.line1, "Street address"),
        city: required(v.city, "City"),
        postalCode: required(v.postalCode, "Postal code"),
        country: /^[A-Za-z]{2}$/.test(v.country) ? undefined : "A two-letter country code (ISO 3166), e.g. KE.",
      })}
      onSubmit={async (v) => {
        const created = await api.post<CustomerCreated>("/api/v1/identity/customers", {
          kind: v.kind, name: v.name.trim(), email: v.email.trim(), phone: v.phone.trim() || null, portalAccount: v.portalAccount === "yes",
          address: { line1: v.line1.trim(), city: v.city.trim(), postalCode: v.postalCode.trim(), country: v.country.trim().toUpperCase() },
        });
        onCreated(created);
      }}
    >
      {({ values, errors, set }) => (
        <>
          <div className="form-row">
            <Select label="Kind" name="kind" value={values.kind} onChange={(v) => set("kind", v)} error={errors.kind}
              options={[{ value: "residential", label: "Residential" }, { value: "business", label: "Business" }]} />
            <Select label="Portal account" name="portalAccount" value={values.portalAccount} onChange={(v) => set("portalAccount", v)}
              options={[{ value: "yes", label: "Create one" }, { value: "no", label: "None" }]} />
          </div>
          <Field label="Name" name="name" value={values.name} onChange={(v) => set("name", v)} error={errors.name} required />
          <div className="form-row">
            <Field label="Email" name="email" type="email" value={values.email} onChange={(v) => set("email", v)} error={errors.email} required />
            <Field label="Phone" name="phone" type="tel" value={values.phone} onChange={(v) => set("phone", v)} error={errors.phone} />
          </div>
          <Field label="Street address" name="line1" value={values.line1} onChange={(v) => set("line1", v)} error={errors.line1 ?? errors.address} required />
          <div className="form-row">
            <Field label="City" name="city" value={values.city} onChange={(v) => set("city", v)} error={errors.city} required />
            <Field label="Postal code" name="postalCode" value={values.postalCode} onChange={(v) => set("postalCode", v)} error={errors.postalCode} required />
            <Field label="Country" name="country" value={values.country} onChange={(v) => set("country", v)} error={errors.country} required hint="Two letters, e.g. KE" />
          </div>
        </>
      )}
    </Form>
  );
}

export function CustomerDetail() {
  const { id = "" } = useParams();
  const api = useApi();
  const claims = useClaims();
  const customer = useLoad((signal) => api.get<Customer>(`/api/v1/identity/customers/${id}`, undefined, signal), [id]);
  const orders = useLoad((signal) => api.get<OffsetPage<Order>>("/api/v1/services/service-orders", { customerId: id, limit: 50 }, signal), [id]);
  const invoices = useLoad((signal) => can(claims, "billing", "read")
    ? api.get<OffsetPage<Invoice>>("/api/v1/billing/invoices", { customerId: id, limit: 50 }, signal)
    : Promise.resolve(null), [id]);
  const events = useLoad((signal) => can(claims, "events", "read")
    ? api.get<{ items: { id: string; type: string; occurredAt: string }[] }>("/api/v1/events/history", { subjectId: id, limit: 20 }, signal)
    : Promise.resolve(null), [id]);
  const payments = useLoad((signal) => can(claims, "billing", "read")
    ? api.get<OffsetPage<Payment>>("/api/v1/billing/payments", { customerId: id, limit: 50 }, signal)
    : Promise.resolve(null), [id]);

  if (customer.error) return <ErrorMessage error={customer.error} retry={customer.reload} />;
  if (!customer.data) return <Loading />;
  const c = customer.data;
  return (
    <>
      <PageHeader title={c.name}>
        <Link className="button primary" to={`/orders?customerId=${c.id}`}>New order</Link>
      </PageHeader>
      <div className="grid">
        <Section title="Details">
          <dl className="facts">
            <dt>Kind</dt><dd>{c.kind}</dd>
            <dt>Email</dt><dd>{c.email}</dd>
            <dt>Portal ID</dt><dd>{c.portalId ?? "—"}</dd>
            <dt>Portal account</dt><dd>{c.portalStatus ? <Status value={c.portalStatus} /> : "none"}</dd>
            <dt>Customer id</dt><dd><code>{c.id}</code></dd>
          </dl>
        </Section>
      </div>
      <Section title="Services and orders">
        {orders.error ? <ErrorMessage error={orders.error} retry={orders.reload} /> : !orders.data ? <Loading /> : (
          <Table<Order> caption="Orders" rows={orders.data.items} rowKey={(o) => o.id} columns={[
            { header: "Username", cell: (o) => <Link to={`/orders/${o.id}`}>{o.username}</Link> },
            { header: "Order", cell: (o) => <Status value={o.status} /> },
            { header: "Service", cell: (o) => <Status value={o.serviceStatus} /> },
            { header: "Address", cell: (o) => o.address ?? "—" },
          ]} />
        )}
      </Section>
      {invoices.data && (
        <Section title="Invoices">
          <Table<Invoice> caption="Invoices" rows={invoices.data.items} rowKey={(i) => i.id} columns={[
            { header: "Number", cell: (i) => <Link to={`/invoices/${i.id}`}>{i.number ?? "draft"}</Link> },
            { header: "Status", cell: (i) => <Status value={i.status} /> },
            { header: "Total", numeric: true, cell: (i) => money(i.total, i.currency) },
            { header: "Due", numeric: true, cell: (i) => money(i.amountDue, i.currency) },
          ]} />
        </Section>
      )}
      {events.data && (
        <Section title="Recent events">
          <Table caption="Recent events" rows={events.data.items} rowKey={(e) => e.id} empty="No events yet." columns={[
            { header: "Event", cell: (e) => e.type },
            { header: "When", cell: (e) => dateTime(e.occurredAt) },
          ]} />
        </Section>
      )}
      {payments.data && (
        <Section title="Payments">
          <Table<Payment> caption="Payments" rows={payments.data.items} rowKey={(p) => p.id} columns={[
            { header: "When", cell: (p) => dateTime(p.createdAt) },
            { header: "Method", cell: (p) => p.method },
            { header: "Status", cell: (p) => <Status value={p.status} /> },
            { header: "Amount", numeric: true, cell: (p) => money(p.amount, p.currency) },
          ]} />
        </Section>
      )}
    </>
  );
}
