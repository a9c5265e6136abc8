import { useState } from "react";
import { useApi, useClaims } from "../../shared/app";
import { can } from "../../shared/claims";
import { money, parseAmount } from "../../shared/format";
import { Field, Form, Select, required } from "../../shared/ui/Form";
import { ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";
import { Pager, Table } from "../../shared/ui/Table";
import type { OffsetPage, Plan, PlanVersion } from "../model";

const limit = 25;

export function Plans() {
  const api = useApi();
  const claims = useClaims();
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const [versionsOf, setVersionsOf] = useState<Plan | null>(null);
  const page = useLoad((signal) => api.get<OffsetPage<Plan>>("/api/v1/services/plans", { limit, offset }, signal), [offset]);
  const writable = can(claims, "services", "write");
  return (
    <>
      <PageHeader title="Plans">
        {writable && <button type="button" className="button primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>New plan</button>}
      </PageHeader>
      {creating && (
        <Section title="New plan">
          <PlanForm onSaved={() => { setCreating(false); page.reload(); }} />
        </Section>
      )}
      {page.error ? <ErrorMessage error={page.error} retry={page.reload} /> : null}
      {!page.data ? <Loading /> : (
        <>
          <Table<Plan> caption="Plans" rows={page.data.items} rowKey={(p) => p.id} columns={[
            { header: "Code", cell: (p) => p.code },
            { header: "Name", cell: (p) => p.name },
            { header: "Speed", cell: (p) => `${p.terms.downloadMbps}/${p.terms.uploadMbps} Mbit/s` },
            { header: "Data cap", cell: (p) => (p.terms.dataCapGb ? `${p.terms.dataCapGb} GB, then ${p.terms.fairUseDownloadMbps ?? "?"}/${p.terms.fairUseUploadMbps ?? "?"}` : "none") },
            { header: "Price", numeric: true, cell: (p) => `${money(p.terms.price, p.terms.currency)} / ${p.terms.billingPeriod}` },
            { header: "Status", cell: (p) => <Status value={p.status} /> },
            { header: "Version", cell: (p) => <button type="button" className="button link" onClick={() => setVersionsOf(p)}>v{p.version}</button> },
          ]} />
          <Pager total={page.data.total} limit={limit} offset={offset} onOffset={setOffset} />
        </>
      )}
      {versionsOf && <Versions key={versionsOf.id} plan={versionsOf} writable={writable} onRevised={page.reload} />}
    </>
  );
}

function Versions({ plan, writable, onRevised }: { plan: Plan; writable: boolean; onRevised: () => void }) {
  const api = useApi();
  const versions = useLoad((signal) => api.get<PlanVersion[] | { items: PlanVersion[] }>(`/api/v1/services/plans/${plan.id}/versions`, undefined, signal), [plan.id]);
  const rows = Array.isArray(versions.data) ? versions.data : versions.data?.items ?? [];
  return (
    <Section title={`Versions of ${plan.name}`}>
      {versions.error ? <ErrorMessage error={versions.error} /> : !versions.data ? <Loading /> : (
        <Table<PlanVersion> caption={`Versions of ${plan.name}`} rows={rows} rowKey={(v) => String(v.version)} columns={[
          { header: "Version", cell: (v) => `v${v.version}` },
          { header: "Speed", cell: (v) => `${v.terms.downloadMbps}/${v.terms.uploadMbps} Mbit/s` },
          { header: "Price", numeric: true, cell: (v) => money(v.terms.price, v.terms.currency) },
        ]} />
      )}
      {writable && plan.status === "active" && (
        <Form<{ downloadMbps: string; uploadMbps: string; price: string }>
          label={`Revise ${plan.name}`} submitLabel="Save as a new version" busyLabel="Saving…"
          initial={{ downloadMbps: String(plan.terms.downloadMbps), uploadMbps: String(plan.terms.uploadMbps), price: plan.terms.price.toFixed(2) }}
          validate={(v) => ({ downloadMbps: whole(v.downloadMbps, "Download"), uploadMbps: whole(v.uploadMbps, "Upload"),
            price: parseAmount(v.price) === null ? "A price such as 29.99." : undefined })}
          onSubmit={async (v) => {
            await api.put(`/api/v1/services/plans/${plan.id}/terms`, { ...plan.terms, downloadMbps: Number(v.downloadMbps), uploadMbps: Number(v.uploadMbps), price: parseAmount(v.price) });
            versions.reload();
            onRevised();
          }}
        >
          {({ values, errors, set }) => (
            <>
              <p className="hint">A new version: services on the plan keep the terms they bought; new orders get the new ones.</p>
              <div className="form-row">
                <Field label="Download (Mbit/s)" name="downloadMbps" inputMode="numeric" value={values.downloadMbps} onChange={(x) => set("downloadMbps", x)} error={errors.downloadMbps} />
                <Field label="Upload (Mbit/s)" name="uploadMbps" inputMode="numeric" value={values.uploadMbps} onChange={(x) => set("uploadMbps", x)} error={errors.uploadMbps} />
                <Field label="Price" name="price" inputMode="decimal" value={values.price} onChange={(x) => set("price", x)} error={errors.price} />
              </div>
            </>
          )}
        </Form>
      )}
    </Section>
  );
}

interface PlanValues {
  code: string; name: string; downloadMbps: string; uploadMbps: string; price: string; currency: string; billingPeriod: string;
  dataCapGb: string; fairUseDownloadMbps: string; fairUseUploadMbps: string;
}

const whole = (value: string, what: string, optional = false): string | undefined =>
  optional && !value.trim() ? undefined : /^\d+$/.test(value.trim()) && Number(value) > 0 ? undefined : `${what} must be a whole number above 0.`;
const optionalNumber = (value: string): number | null => (value.trim() ? Number(value) : null);

function PlanForm({ onSaved }: { onSaved: () => void }) {
  const api = useApi();
  return (
    <Form<PlanValues>
      label="New plan"
      initial={{ code: "", name: "", downloadMbps: "", uploadMbps: "", price: "", currency: "USD", billingPeriod: "monthly", dataCapGb: "", fairUseDownloadMbps: "", fairUseUploadMbps: "" }}
      submitLabel="Create plan"
      busyLabel="Creating…"
      validate={(v) => ({
        code: required(v.code, "Code") ?? (/^[a-z0-9][a-z0-9-_]*$/i.test(v.code.trim()) ? undefined : "Letters, digits, - and _ only."),
        name: required(v.name, "Name"),
        downloadMbps: whole(v.downloadMbps, "Download"),
        uploadMbps: whole(v.uploadMbps, "Upload"),
        price: parseAmount(v.price) === null ? "A price such as 29.99." : undefined,
        currency: /^[A-Za-z]{3}$/.test(v.currency.trim()) ? undefined : "A three-letter currency code (ISO 4217).",
        dataCapGb: whole(v.dataCapGb, "Data cap", true),
        fairUseDownloadMbps: v.dataCapGb.trim() ? whole(v.fairUseDownloadMbps, "Fair-use download") : undefined,
        fairUseUploadMbps: v.dataCapGb.trim() ? whole(v.fairUseUploadMbps, "Fair-use upload") : undefined,
      })}
      onSubmit={async (v) => {
        await api.post("/api/v1/services/plans", {
          code: v.code.trim(), name: v.name.trim(),
          terms: {
            downloadMbps: Number(v.downloadMbps), uploadMbps: Number(v.uploadMbps), price: parseAmount(v.price),
            currency: v.currency.trim().toUpperCase(), billingPeriod: v.billingPeriod, dataCapGb: optionalNumber(v.dataCapGb),
            fairUseDownloadMbps: optionalNumber(v.fairUseDownloadMbps), fairUseUploadMbps: optionalNumber(v.fairUseUploadMbps),
          },
        });
        onSaved();
      }}
    >
      {({ values, errors, set }) => (
        <>
          <div className="form-row">
            <Field label="Code" name="code" value={values.code} onChange={(v) => set("code", v)} error={errors.code} required />
            <Field label="Name" name="name" value={values.name} onChange={(v) => set("name", v)} error={errors.name} required />
          </div>
          <div className="form-row">
            <Field label="Download (Mbit/s)" name="downloadMbps" inputMode="numeric" value={values.downloadMbps} onChange={(v) => set("downloadMbps", v)} error={errors.downloadMbps} required />
            <Field label="Upload (Mbit/s)" name="uploadMbps" inputMode="numeric" value={values.uploadMbps} onChange={(v) => set("uploadMbps", v)} error={errors.uploadMbps} required />
          </div>
          <div className="form-row">
            <Field label="Price" name="price" inputMode="decimal" value={values.price} onChange={(v) => set("price", v)} error={errors.price} required />
            <Field label="Currency" name="currency" value={values.currency} onChange={(v) => set("currency", v)} error={errors.currency} required />
            <Select label="Billing period" name="billingPeriod" value={values.billingPeriod} onChange={(v) => set("billingPeriod", v)} error={errors.billingPeriod}
              options={[{ value: "monthly", label: "Monthly" }, { value: "quarterly", label: "Quarterly" }, { value: "yearly", label: "Yearly" }]} />
          </div>
          <div className="form-row">
            <Field label="Data cap (GB, optional)" name="dataCapGb" inputMode="numeric" value={values.dataCapGb} onChange={(v) => set("dataCapGb", v)} error={errors.dataCapGb} />
            <Field label="Fair-use download (Mbit/s)" name="fairUseDownloadMbps" inputMode="numeric" value={values.fairUseDownloadMbps} onChange={(v) => set("fairUseDownloadMbps", v)} error={errors.fairUseDownloadMbps} />
            <Field label="Fair-use upload (Mbit/s)" name="fairUseUploadMbps" inputMode="numeric" value={values.fairUseUploadMbps} onChange={(v) => set("fairUseUploadMbps", v)} error={errors.fairUseUploadMbps} />
          </div>
        </>
      )}
    </Form>
  );
}
