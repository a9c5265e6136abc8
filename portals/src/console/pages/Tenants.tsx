import { useState } from "react";
import { useApi, useClaims } from "../../shared/app";
import { isPlatformStaff } from "../../shared/claims";
import { Alert, ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { Field, Form } from "../../shared/ui/Form";
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
          {isPlatformStaff(claims) && <EditSettings key={`${shown.id}-${shown.settingsVersion}`} tenant={shown} onSaved={(t) => { setSelected(t); page.reload(); }} />}
        </Section>
      )}
    </>
  );
}

interface SettingsValues { currency: string; timeZone: string; billingDay: string; reminderDays: string; suspendAfterDays: string; terminateAfterDays: string }

/** Platform staff change a tenant's settings; billing and identity pick them up from TenantSettingsChanged. */
function EditSettings({ tenant, onSaved }: { tenant: Tenant; onSaved: (tenant: Tenant) => void }) {
  const api = useApi();
  const [saved, setSaved] = useState(false);
  const s = tenant.settings;
  const days = (text: string) => text.split(/[\s,]+/).filter(Boolean).map(Number);
  return (
    <>
      {saved && <Alert kind="success">Settings saved.</Alert>}
      <Form<SettingsValues>
        label={`Change the settings of ${tenant.name}`} submitLabel="Save settings" busyLabel="Saving…"
        initial={{ currency: s.currency, timeZone: s.timeZone, billingDay: String(s.billingDay), reminderDays: s.dunning.reminderDays.join(", "),
          suspendAfterDays: String(s.dunning.suspendAfterDays), terminateAfterDays: String(s.dunning.terminateAfterDays) }}
        validate={(v) => ({
          currency: /^[A-Za-z]{3}$/.test(v.currency.trim()) ? undefined : "A three-letter currency code.",
          billingDay: /^\d+$/.test(v.billingDay) && Number(v.billingDay) >= 1 && Number(v.billingDay) <= 28 ? undefined : "A day from 1 to 28.",
          reminderDays: days(v.reminderDays).every((d) => Number.isInteger(d) && d >= 0) ? undefined : "Whole days, e.g. 3, 7.",
          suspendAfterDays: /^\d+$/.test(v.suspendAfterDays) ? undefined : "Whole days.",
          terminateAfterDays: /^\d+$/.test(v.terminateAfterDays) ? undefined : "Whole days.",
        })}
        onSubmit={async (v) => {
          const updated = await api.put<Tenant>(`/api/v1/platform/tenants/${tenant.id}/settings`, {
            currency: v.currency.trim().toUpperCase(), timeZone: v.timeZone.trim(), billingDay: Number(v.billingDay), taxRates: s.taxRates,
            dunning: { reminderDays: days(v.reminderDays), suspendAfterDays: Number(v.suspendAfterDays), terminateAfterDays: Number(v.terminateAfterDays) },
          });
          setSaved(true);
          onSaved(updated);
        }}
      >
        {({ values, errors, set }) => (
          <>
            <div className="form-row">
              <Field label="Currency" name="currency" value={values.currency} onChange={(x) => set("currency", x)} error={errors.currency} />
              <Field label="Time zone" name="timeZone" value={values.timeZone} onChange={(x) => set("timeZone", x)} error={errors.timeZone} hint="IANA, e.g. Africa/Nairobi" />
              <Field label="Billing day" name="billingDay" inputMode="numeric" value={values.billingDay} onChange={(x) => set("billingDay", x)} error={errors.billingDay} />
            </div>
            <div className="form-row">
              <Field label="Reminders (days overdue)" name="reminderDays" value={values.reminderDays} onChange={(x) => set("reminderDays", x)} error={errors.reminderDays} />
              <Field label="Suspend after (days)" name="suspendAfterDays" inputMode="numeric" value={values.suspendAfterDays} onChange={(x) => set("suspendAfterDays", x)} error={errors.suspendAfterDays} />
              <Field label="Terminate after (days)" name="terminateAfterDays" inputMode="numeric" value={values.terminateAfterDays} onChange={(x) => set("terminateAfterDays", x)} error={errors.terminateAfterDays} />
            </div>
          </>
        )}
      </Form>
    </>
  );
}
