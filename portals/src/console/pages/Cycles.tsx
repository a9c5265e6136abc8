import { useState } from "react";
import { useApi, useClaims } from "../../shared/app";
import { can } from "../../shared/claims";
import { dateTime } from "../../shared/format";
import { Form } from "../../shared/ui/Form";
import { Alert, ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad, usePoll } from "../../shared/ui/hooks";
import { Section } from "../../shared/ui/Shell";
import { Pager, Table } from "../../shared/ui/Table";
import type { OffsetPage } from "../model";

interface Cycle { id: string; periodStart: string; periodEnd: string; status: string; batches: number; invoices: number; startedAt: string; completedAt: string | null }
interface BillingSettings {
  currency: string | null; timeZone: string; billingDay: number; taxRates: { name: string; percent: number; inclusive: boolean }[];
  reminderDays: number[]; suspendAfterDays: number; terminateAfterDays: number; paymentTermsDays: number; invoiceSuspended: boolean;
}

/** Billing cycles (start one, follow it until completed) and the dunning policy they run under. */
export function Cycles() {
  const api = useApi();
  const claims = useClaims();
  const [offset, setOffset] = useState(0);
  const [started, setStarted] = useState<string | null>(null);
  const cycles = useLoad((signal) => api.get<OffsetPage<Cycle>>("/api/v1/billing/billing-cycles", { limit: 10, offset }, signal), [offset]);
  const settings = useLoad((signal) => api.get<BillingSettings>("/api/v1/billing/billing-settings", undefined, signal), []);
  usePoll(cycles.reload, 2000, cycles.data?.items.some((c) => c.status !== "completed") ?? false);
  return (
    <>
      <Section title="Billing cycles">
        {started && <Alert kind="success">{started}</Alert>}
        {can(claims, "billing", "write") && (
          <Form<object> label="Start the billing cycle" initial={{}} submitLabel="Start this period's cycle" busyLabel="Starting…"
            onSubmit={async () => {
              const cycle = await api.post<{ periodStart: string; periodEnd: string }>("/api/v1/billing/billing-cycles", {});
              setStarted(`The cycle of ${cycle.periodStart} to ${cycle.periodEnd} is invoicing every due subscription.`);
              cycles.reload();
            }}>
            {() => <p className="hint">Invoices every subscription due in the current period; starting it again resumes it, never invoices twice.</p>}
          </Form>
        )}
        {cycles.error ? <ErrorMessage error={cycles.error} retry={cycles.reload} /> : !cycles.data ? <Loading /> : (
          <>
            <Table<Cycle> caption="Billing cycles" rows={cycles.data.items} rowKey={(c) => c.id} empty="No cycle has run yet." columns={[
              { header: "Period", cell: (c) => `${c.periodStart} – ${c.periodEnd}` },
              { header: "Status", cell: (c) => <Status value={c.status} /> },
              { header: "Invoices", numeric: true, cell: (c) => c.invoices },
              { header: "Started", cell: (c) => dateTime(c.startedAt) },
              { header: "Completed", cell: (c) => dateTime(c.completedAt) },
            ]} />
            <Pager total={cycles.data.total} limit={10} offset={offset} onOffset={setOffset} />
          </>
        )}
      </Section>
      <Section title="Payment terms and dunning">
        {settings.error ? <ErrorMessage error={settings.error} retry={settings.reload} /> : !settings.data ? <Loading /> : (
          <dl className="facts">
            <dt>Billing day</dt><dd>{settings.data.billingDay} ({settings.data.timeZone})</dd>
            <dt>Payment terms</dt><dd>{settings.data.paymentTermsDays} days</dd>
            <dt>Reminders</dt><dd>{settings.data.reminderDays.map((d) => `${d} days overdue`).join(", ") || "none"}</dd>
            <dt>Suspend</dt><dd>{settings.data.suspendAfterDays} days overdue</dd>
            <dt>Terminate</dt><dd>{settings.data.terminateAfterDays} days overdue</dd>
            <dt>Invoice suspended services</dt><dd>{settings.data.invoiceSuspended ? "yes" : "no"}</dd>
          </dl>
        )}
      </Section>
    </>
  );
}
