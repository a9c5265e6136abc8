import { useState } from "react";
import { useApi, useClaims } from "../../shared/app";
import { isPlatformStaff } from "../../shared/claims";
import { ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";
import { KeysetPager, Table } from "../../shared/ui/Table";

interface TenantSettings {
  currency: string; timeZone: string; billingDay: number; taxRates: { name: string; percent: number; inclusive: boolean }[];
  dunning: { reminderDays: number[]; suspendAfterDays: number; terminateAfterDays: number };
}
interface Tenant { id: string; slug: string; name: string; plan: string; status: string; settings: TenantSettings; settingsVersion: number }

/** Platform staff: every tenant; a tenant's admin: their own, with its settings. */
export function Tenants() {
  const api = useApi();
  const claims = useClaims();
  const [trail, setTrail] = useState<string[]>([]);
  const [selected, setSelected] = useState<Tenant | null>(null);
  const after = trail[trail.length - 1];
  const page = useLoad((signal) => api.get<{ items: Tenant[]; next: string | null }>("/api/v1/platform/tenants", { limit: 25, after }, signal), [after]);
  const shown = selected ?? (!isPlatformStaff(claims) ? page.data?.items[0] ?? null : null);
  return (
    <>
      <PageHeader title="Tenants" />
      {page.error ? <ErrorMessage error={page.error} retry={page.reload} /> : !page.data ? <Loading /> : (
        <>
          <Table<Tenant> caption="Tenants" rows={page.data.items} rowKey={(t) => t.id} columns={[
            { header: "Name", cell: (t) => <button type="button" className="button link" onClick={() => setSelected(t)}>{t.name}</button> },
            { header: "Slug", cell: (t) => t.slug },
            { header: "Plan", cell: (t) => t.plan },
            { header: "Status", cell: (t) => <Status value={t.status} /> },
            { header: "Currency", cell: (t) => t.settings.currency },
          ]} />
          <KeysetPager trail={trail} next={page.data.next} onChange={setTrail} />
        </>
      )}
      {shown && (
        <Section title={`Settings of ${shown.name}`}>
          <dl className="facts">
            <dt>Tenant id</dt><dd><code>{shown.id}</code></dd>
            <dt>Currency</dt><dd>{shown.settings.currency}</dd>
            <dt>Time zone</dt><dd>{shown.settings.timeZone}</dd>
            <dt>Billing day</dt><dd>{shown.settings.billingDay}</dd>
            <dt>Taxes</dt><dd>{shown.settings.taxRates.map((t) => `${t.name} ${t.percent}%${t.inclusive ? " (inclusive)" : ""}`).join(", ") || "none"}</dd>
            <dt>Reminders</dt><dd>{shown.settings.dunning.reminderDays.map((d) => `day ${d}`).join(", ") || "none"}</dd>
            <dt>Suspend after</dt><dd>{shown.settings.dunning.suspendAfterDays} days overdue</dd>
            <dt>Terminate after</dt><dd>{shown.settings.dunning.terminateAfterDays} days overdue</dd>
            <dt>Settings version</dt><dd>{shown.settingsVersion}</dd>
          </dl>
        </Section>
      )}
    </>
  );
}
