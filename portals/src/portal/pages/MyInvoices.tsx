import { useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { useApi } from "../../shared/app";
import { CardForm } from "../../shared/CardForm";
import { date, dateTime, money } from "../../shared/format";
import { InvoiceView } from "../../shared/InvoiceView";
import { idempotencyKey } from "../../shared/session";
import { Alert, ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";
import { Pager, Table } from "../../shared/ui/Table";
import type { Invoice, OffsetPage, Payment } from "../../console/model";

const limit = 25;

export function MyInvoices() {
  const api = useApi();
  const [offset, setOffset] = useState(0);
  const page = useLoad((signal) => api.get<OffsetPage<Invoice>>("/api/v1/billing/invoices", { limit, offset }, signal), [offset]);
  return (
    <>
      <PageHeader title="Invoices" />
      {page.error ? <ErrorMessage error={page.error} retry={page.reload} /> : !page.data ? <Loading /> : (
        <>
          <Table<Invoice> caption="My invoices" rows={page.data.items} rowKey={(i) => i.id} empty="No invoices yet." columns={[
            { header: "Invoice", cell: (i) => <Link to={`/invoices/${i.id}`}>{i.number ?? "draft"}</Link> },
            { header: "Period", cell: (i) => (i.periodStart ? `${date(i.periodStart)} – ${date(i.periodEnd)}` : "—") },
            { header: "Due", cell: (i) => dateTime(i.dueAt) },
            { header: "Status", cell: (i) => <Status value={i.status} /> },
            { header: "Total", numeric: true, cell: (i) => money(i.total, i.currency) },
            { header: "To pay", numeric: true, cell: (i) => money(i.amountDue, i.currency) },
          ]} />
          <Pager total={page.data.total} limit={limit} offset={offset} onOffset={setOffset} />
        </>
      )}
    </>
  );
}

export function MyInvoice() {
  const { id = "" } = useParams();
  const api = useApi();
  const invoice = useLoad((signal) => api.get<Invoice>(`/api/v1/billing/invoices/${id}`, undefined, signal), [id]);
  const [result, setResult] = useState<Payment | null>(null);
  // The same key for every retry of one payment attempt; a new one after an answer.
  const key = useRef(idempotencyKey());
  if (invoice.error) return <ErrorMessage error={invoice.error} retry={invoice.reload} />;
  if (!invoice.data) return <Loading />;
  const i = invoice.data;
  const title = `Invoice ${i.number ?? ""}`.trim();
  const payable = i.amountDue > 0 && i.status !== "void";
  return (
    <>
      <PageHeader title={title} />
      {result && (result.status === "succeeded"
        ? <Alert kind="success">Thank you: {money(result.amount, result.currency)} paid.</Alert>
        : <Alert kind="error">The payment was {result.status}: {describeFailure(result.failureReason)}. Nothing was charged; you can try another card.</Alert>)}
      <div className="grid">
        <Section title="Summary">
          <dl className="facts">
            <dt>Status</dt><dd data-testid="invoice-status"><Status value={i.status} /></dd>
            <dt>Period</dt><dd>{i.periodStart ? `${date(i.periodStart)} – ${date(i.periodEnd)}` : "—"}</dd>
            <dt>Due</dt><dd>{dateTime(i.dueAt)}</dd>
            <dt>Total</dt><dd>{money(i.total, i.currency)}</dd>
            <dt>Paid</dt><dd>{money(i.amountPaid, i.currency)}</dd>
            <dt>To pay</dt><dd>{money(i.amountDue, i.currency)}</dd>
          </dl>
        </Section>
        {payable && (
          <Section title="Pay by card">
            <CardForm initialAmount={i.amountDue.toFixed(2)} currency={i.currency} submitLabel={`Pay ${money(i.amountDue, i.currency)}`}
              onPay={async (amount, card) => {
                const payment = await api.post<Payment>("/api/v1/billing/payments", { amount, method: "card", currency: i.currency, card },
                  { "Idempotency-Key": key.current });
                key.current = idempotencyKey();
                setResult(payment);
                invoice.reload();
              }} />
          </Section>
        )}
      </div>
      <Section title="Document">
        <InvoiceView invoiceId={i.id} title={title} />
      </Section>
    </>
  );
}

export function describeFailure(reason: string | null): string {
  switch (reason) {
    case "card_declined": return "the card was declined";
    case "insufficient_funds": return "the card has insufficient funds";
    case null: return "no reason given";
    default: return reason.startsWith("processor_unavailable") ? "the card processor is unavailable; try again later" : reason;
  }
}
