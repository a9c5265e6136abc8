import { Link } from "react-router";
import { useApi, useClaims, useTenant } from "../../shared/app";
import { can, isPlatformStaff } from "../../shared/claims";
import { money } from "../../shared/format";
import { ErrorMessage, Loading } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader } from "../../shared/ui/Shell";

interface Summary {
  date: string; currency: string | null;
  subscribers: { active: number; suspended: number; terminated: number; activated: number; churned: number };
  revenue: { mrr: number; arpu: number | null };
  collections: { outstanding: number; overdueInvoices: number; daysSalesOutstanding: number | null };
  provisioning: { submitted: number; activated: number; failed: number };
}

/** The day at a glance from analytics (for who may read it), and where to go next. */
export function Home() {
  const api = useApi();
  const claims = useClaims();
  const tenant = useTenant();
  const analytics = can(claims, "analytics", "read") && tenant !== null;
  const summary = useLoad((signal) => analytics ? api.get<Summary>("/api/v1/analytics/summary", undefined, signal) : Promise.resolve(null), [analytics, tenant]);
  return (
    <>
      <PageHeader title="Overview" />
      {isPlatformStaff(claims) && tenant === null && <p>Choose a tenant at the top to work on its customers, services, network and billing.</p>}
      {analytics && (summary.error ? <ErrorMessage error={summary.error} retry={summary.reload} /> : !summary.data ? <Loading label="Loading today's figures…" /> : (
        <dl className="kpis" aria-label="Today">
          <Kpi label="Active subscribers" value={summary.data.subscribers.active} />
          <Kpi label="Suspended" value={summary.data.subscribers.suspended} />
          <Kpi label="Activations today" value={summary.data.subscribers.activated} />
          <Kpi label="MRR" value={money(summary.data.revenue.mrr, summary.data.currency)} />
          <Kpi label="Outstanding" value={money(summary.data.collections.outstanding, summary.data.currency)} />
          <Kpi label="Overdue invoices" value={summary.data.collections.overdueInvoices} />
          <Kpi label="Orders failed today" value={summary.data.provisioning.failed} />
        </dl>
      ))}
      <ul>
        {can(claims, "customers", "write") && <li><Link to="/customers">Create a customer</Link></li>}
        {can(claims, "services", "write") && <li><Link to="/orders">Submit an order</Link></li>}
        {can(claims, "billing", "write") && <li><Link to="/invoices">Invoice a customer or record a payment</Link></li>}
        <li><a href="/docs">API documentation</a></li>
      </ul>
    </>
  );
}

function Kpi({ label, value }: { label: string; value: number | string | undefined }) {
  return (
    <div className="kpi">
      <dt>{label}</dt>
      <dd>{value ?? "—"}</dd>
    </div>
  );
}
