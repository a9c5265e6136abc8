import { useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { useApi, useClaims } from "../../shared/app";
import { can } from "../../shared/claims";
import { date, dateTime, money, parseAmount } from "../../shared/format";
import { idempotencyKey } from "../../shared/session";
import { InvoiceView } from "../../shared/InvoiceView";
import { Field, Form, Select, required } from "../../shared/ui/Form";
import { Alert, ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";
import { Pager, Table } from "../../shared/ui/Table";
import type { BillingAccount, Customer, Invoice, KeysetPage, OffsetPage, Payment } from "../model";
import { Cycles } from "./Cycles";

const limit = 25;

export function Invoices() {
  const api = useApi();
  const claims = useClaims();
  const [status, setStatus] = useState("");
  const [offset, setOffset] = useState(0);
  const page = useLoad((signal) => api.get<OffsetPage<Invoice>>("/api/v1/billing/invoices", { limit, offset, status }, signal), [offset, status]);
  return (
    <>
      <PageHeader title="Invoices" />
      {can(claims, "billing", "write") && (
        <Section title="Invoice a customer now">
          <InvoiceNow onIssued={page.reload} />
        </Section>
      )}
      <Cycles />
      <div className="toolbar">
        <Select label="Status" name="status" value={status} onChange={(v) => { setStatus(v); setOffset(0); }}
          options={["", "issued", "partially_paid", "paid", "overdue", "void"].map((s) => ({ value: s, label: s || "Any" }))} />
      </div>
      {page.error ? <ErrorMessage error={page.error} retry={page.reload} /> : null}
      {!page.data ? <Loading /> : (
        <>
          <InvoiceTable invoices={page.data.items} />
          <Pager total={page.data.total} limit={limit} offset={offset} onOffset={setOffset} />
        </>
      )}
    </>
  );
}

export function InvoiceTable({ invoices }: { invoices: Invoice[] }) {
  return (
    <Table<Invoice> caption="Invoices" rows={invoices} rowKey={(i) => i.id} columns={[
      { header: "Number", cell: (i) => <Link to={`/invoices/${i.id}`}>{i.number ?? "draft"}</Link> },
      { header: "Status", cell: (i) => <Status value={i.status} /> },
      { header: "Issued", cell: (i) => dateTime(i.issuedAt) },
      { header: "Due", cell: (i) => dateTime(i.dueAt) },
      { header: "Dunning", cell: (i) => i.dunningStage ?? "—" },
      { header: "Total", numeric: true, cell: (i) => money(i.total, i.currency) },
      { header: "Amount due", numeric: true, cell: (i) => money(i.amountDue, i.currency) },
    ]} />
  );
}

function InvoiceNow({ onIssued }: { onIssued: () => void }) {
  const api = useApi();
  const [issued, setIssued] = useState<Invoice | null>(null);
  const customers = useLoad((signal) => api.get<KeysetPage<Customer>>("/api/v1/identity/customers", { limit: 200 }, signal), []);
  if (customers.error) return <ErrorMessage error={customers.error} retry={customers.reload} />;
  if (!customers.data) return <Loading />;
  return (
    <>
      {issued && <Alert kind="success">Invoice <Link to={`/invoices/${issued.id}`}>{issued.number ?? issued.id}</Link> issued: {money(issued.total, issued.currency)}.</Alert>}
      <Form<{ customerId: string }>
        label="Invoice a customer now" initial={{ customerId: "" }} submitLabel="Issue invoice" busyLabel="Issuing…"
        validate={(v) => ({ customerId: required(v.customerId, "Customer") })}
        onSubmit={async (v) => {
          const accounts = await api.get<OffsetPage<BillingAccount>>("/api/v1/billing/accounts", { customerId: v.customerId, limit: 1 });
          const account = accounts.items[0];
          if (!account) throw new Error("This customer has no billing account yet: it opens with their first active service.");
          const invoice = await api.post<Invoice>(`/api/v1/billing/accounts/${account.id}/invoices`);
          setIssued(invoice);
          onIssued();
        }}
      >
        {({ values, errors, set }) => (
          <Select label="Customer" name="customerId" value={values.customerId} onChange={(v) => set("customerId", v)} error={errors.customerId} required
            placeholder="Choose a customer" options={customers.data!.items.map((c) => ({ value: c.id, label: `${c.name} (${c.email})` }))} />
        )}
      </Form>
    </>
  );
}

export function InvoiceDetail() {
  const { id = "" } = useParams();
  const api = useApi();
  const claims = useClaims();
  const invoice = useLoad((signal) => api.get<Invoice>(`/api/v1/billing/invoices/${id}`, undefined, signal), [id]);
  const [paid, setPaid] = useState<Payment | null>(null);
  if (invoice.error) return <ErrorMessage error={invoice.error} retry={invoice.reload} />;
  if (!invoice.data) return <Loading />;
  const i = invoice.data;
  const title = `Invoice ${i.number ?? i.id}`;
  return (
    <>
      <PageHeader title={title}>
        <Link className="button" to={`/customers/${i.customerId}`}>Customer</Link>
      </PageHeader>
      <div className="grid">
        <Section title="Summary">
          <dl className="facts">
            <dt>Status</dt><dd><Status value={i.status} /></dd>
            <dt>Period</dt><dd>{i.periodStart ? `${date(i.periodStart)} – ${date(i.periodEnd)}` : "—"}</dd>
            <dt>Issued</dt><dd>{dateTime(i.issuedAt)}</dd>
            <dt>Due</dt><dd>{dateTime(i.dueAt)}</dd>
            <dt>Dunning</dt><dd>{i.dunningStage ?? "—"}</dd>
            <dt>Total</dt><dd>{money(i.total, i.currency)}</dd>
            <dt>Paid</dt><dd>{money(i.amountPaid, i.currency)}</dd>
            <dt>Credited</dt><dd>{money(i.amountCredited, i.currency)}</dd>
            <dt>Amount due</dt><dd data-testid="amount-due">{money(i.amountDue, i.currency)}</dd>
          </dl>
        </Section>
        {can(claims, "billing", "write") && i.amountDue > 0 && i.status !== "void" && (
          <Section title="Record a payment">
            {paid && <Alert kind={paid.status === "succeeded" ? "success" : "error"}>Payment {paid.status}{paid.failureReason ? `: ${paid.failureReason}` : ""}.</Alert>}
            <RecordPayment invoice={i} onRecorded={(p) => { setPaid(p); invoice.reload(); }} />
          </Section>
        )}
      </div>
      {can(claims, "billing", "write") && i.status !== "void" && (
        <Section title="Issue a credit note">
          <CreditNote invoice={i} onIssued={invoice.reload} />
        </Section>
      )}
      <Section title="Document">
        <InvoiceView invoiceId={i.id} title={title} />
      </Section>
    </>
  );
}

function CreditNote({ invoice, onIssued }: { invoice: Invoice; onIssued: () => void }) {
  const api = useApi();
  const key = useRef(idempotencyKey());
  const [issued, setIssued] = useState<string | null>(null);
  return (
    <>
      {issued && <Alert kind="success">Credit note {issued} issued.</Alert>}
      <Form<{ amount: string; reason: string }>
        label="Issue a credit note" initial={{ amount: "", reason: "" }} submitLabel="Issue credit note" busyLabel="Issuing…"
        validate={(v) => ({
          amount: parseAmount(v.amount) && parseAmount(v.amount)! > 0 ? undefined : "An amount such as 5.00.",
          reason: required(v.reason, "The reason"),
        })}
        onSubmit={async (v) => {
          const note = await api.post<{ number: string }>("/api/v1/billing/credit-notes",
            { accountId: invoice.accountId, invoiceId: invoice.id, amount: parseAmount(v.amount), reason: v.reason.trim() },
            { "Idempotency-Key": key.current });
          key.current = idempotencyKey();
          setIssued(note.number);
          onIssued();
        }}
      >
        {({ values, errors, set }) => (
          <div className="form-row">
            <Field label={`Amount (${invoice.currency})`} name="amount" inputMode="decimal" value={values.amount} onChange={(x) => set("amount", x)} error={errors.amount} required />
            <Field label="Reason" name="reason" value={values.reason} onChange={(x) => set("reason", x)} error={errors.reason} required hint="Shown on the credit note, e.g. outage on 3 June." />
          </div>
        )}
      </Form>
    </>
  );
}

interface PaymentValues { amount: string; method: string; reference: string }

function RecordPayment({ invoice, onRecorded }: { invoice: Invoice; onRecorded: (payment: Payment) => void }) {
  const api = useApi();
  const key = useRef(idempotencyKey());
  return (
    <Form<PaymentValues>
      label="Record a payment" initial={{ amount: invoice.amountDue.toFixed(2), method: "bank_transfer", reference: "" }}
      submitLabel="Record payment" busyLabel="Recording…"
      validate={(v) => ({
        amount: parseAmount(v.amount) && parseAmount(v.amount)! > 0 ? undefined : "An amount such as 29.99.",
        reference: v.method === "bank_transfer" ? required(v.reference, "The bank's reference") : undefined,
      })}
      onSubmit={async (v) => {
        const payment = await api.post<Payment>("/api/v1/billing/payments",
          { amount: parseAmount(v.amount), method: v.method, customerId: invoice.customerId, currency: invoice.currency, reference: v.reference.trim() || null },
          { "Idempotency-Key": key.current });
        key.current = idempotencyKey();
        onRecorded(payment);
      }}
    >
      {({ values, errors, set }) => (
        <>
          <div className="form-row">
            <Field label={`Amount (${invoice.currency})`} name="amount" inputMode="decimal" value={values.amount} onChange={(v) => set("amount", v)} error={errors.amount} required />
            <Select label="Method" name="method" value={values.method} onChange={(v) => set("method", v)} error={errors.method}
              options={[{ value: "bank_transfer", label: "Bank transfer" }, { value: "manual", label: "Cash / manual" }]} />
          </div>
          <Field label="Reference" name="reference" value={values.reference} onChange={(v) => set("reference", v)} error={errors.reference}
            required={values.method === "bank_transfer"} hint="The bank's transaction reference (required for transfers)." />
        </>
      )}
    </Form>
  );
}
