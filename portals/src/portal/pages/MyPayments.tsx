import { useState } from "react";
import { useApi } from "../../shared/app";
import { dateTime, money } from "../../shared/format";
import { ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader } from "../../shared/ui/Shell";
import { Pager, Table } from "../../shared/ui/Table";
import type { OffsetPage, Payment } from "../../console/model";
import { describeFailure } from "./MyInvoices";

const limit = 25;

export function MyPayments() {
  const api = useApi();
  const [offset, setOffset] = useState(0);
  const page = useLoad((signal) => api.get<OffsetPage<Payment>>("/api/v1/billing/payments", { limit, offset }, signal), [offset]);
  return (
    <>
      <PageHeader title="Payments" />
      {page.error ? <ErrorMessage error={page.error} retry={page.reload} /> : !page.data ? <Loading /> : (
        <>
          <Table<Payment> caption="My payments" rows={page.data.items} rowKey={(p) => p.id} empty="No payments yet." columns={[
            { header: "When", cell: (p) => dateTime(p.createdAt) },
            { header: "Method", cell: (p) => p.method.replace("_", " ") },
            { header: "Status", cell: (p) => <>{<Status value={p.status} />}{p.failureReason ? ` ${describeFailure(p.failureReason)}` : ""}</> },
            { header: "Invoices", cell: (p) => p.allocations.map((a) => a.invoiceNumber ?? "").filter(Boolean).join(", ") || "—" },
            { header: "Amount", numeric: true, cell: (p) => money(p.amount, p.currency) },
          ]} />
          <Pager total={page.data.total} limit={limit} offset={offset} onOffset={setOffset} />
        </>
      )}
    </>
  );
}
