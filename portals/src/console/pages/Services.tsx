import { useState } from "react";
import { Link } from "react-router";
import { useApi, useClaims } from "../../shared/app";
import { can } from "../../shared/claims";
import { dateTime } from "../../shared/format";
import { Select } from "../../shared/ui/Form";
import { Alert, ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader } from "../../shared/ui/Shell";
import { Pager, Table } from "../../shared/ui/Table";
import { describe } from "../../shared/problem";
import type { OffsetPage, Plan, Service } from "../model";

const limit = 25;

export function Services() {
  const api = useApi();
  const claims = useClaims();
  const [status, setStatus] = useState("");
  const [offset, setOffset] = useState(0);
  const [message, setMessage] = useState<{ kind: "success" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const page = useLoad((signal) => api.get<OffsetPage<Service>>("/api/v1/services/services", { limit, offset, status }, signal), [offset, status]);
  const plans = useLoad((signal) => api.get<OffsetPage<Plan>>("/api/v1/services/plans", { limit: 200 }, signal), []);
  const writable = can(claims, "services", "write");
  const planName = (id: string) => plans.data?.items.find((p) => p.id === id)?.name ?? "…";

  async function act(service: Service, action: string, body?: unknown) {
    if (action === "terminate" && !window.confirm(`Terminate ${service.username}? Its address, RADIUS profile and subscription end.`)) return;
    setBusy(service.id);
    setMessage(null);
    try {
      await api.post(`/api/v1/services/services/${service.id}/${action}`, body ?? {});
      setMessage({ kind: "success", text: `${service.username}: ${action.replace("-", " ")} requested.` });
      page.reload();
    } catch (error) {
      setMessage({ kind: "error", text: `${service.username}: ${describe(error)}` });
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <PageHeader title="Services" />
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <div className="toolbar">
        <Select label="Status" name="status" value={status} onChange={(v) => { setStatus(v); setOffset(0); }}
          options={["", "pending", "provisioning", "active", "suspended", "terminated", "failed"].map((s) => ({ value: s, label: s || "Any" }))} />
      </div>
      {page.error ? <ErrorMessage error={page.error} retry={page.reload} /> : null}
      {!page.data ? <Loading /> : (
        <>
          <Table<Service> caption="Services" rows={page.data.items} rowKey={(s) => s.id} columns={[
            { header: "Username", cell: (s) => <Link to={`/orders/${s.orderId}`}>{s.username}</Link> },
            { header: "Plan", cell: (s) => `${planName(s.planId)} v${s.planVersion}` },
            { header: "Address", cell: (s) => s.address ?? "—" },
            { header: "Status", cell: (s) => <><Status value={s.status} />{s.statusReason ? ` ${s.statusReason}` : ""}</> },
            { header: "Active since", cell: (s) => dateTime(s.activatedAt) },
            ...(writable ? [{ header: "Actions", cell: (s: Service) => (
              <div className="page-actions">
                {s.status === "active" && <button type="button" className="button" disabled={busy === s.id} onClick={() => act(s, "suspend", { reason: "staff" })}>Suspend</button>}
                {s.status === "suspended" && <button type="button" className="button" disabled={busy === s.id} onClick={() => act(s, "resume")}>Resume</button>}
                {(s.status === "active" || s.status === "suspended") && (
                  <>
                    <ChangePlan service={s} plans={plans.data?.items ?? []} onChange={(planId) => act(s, "change-plan", { planId })} />
                    <button type="button" className="button danger" disabled={busy === s.id} onClick={() => act(s, "terminate", { reason: "staff" })}>Terminate</button>
                  </>
                )}
              </div>
            ) }] : []),
          ]} />
          <Pager total={page.data.total} limit={limit} offset={offset} onOffset={setOffset} />
        </>
      )}
      {plans.loading && !plans.data && <Loading label="Loading plans…" />}
    </>
  );
}

function ChangePlan({ service, plans, onChange }: { service: Service; plans: Plan[]; onChange: (planId: string) => void }) {
  const others = plans.filter((p) => p.id !== service.planId && p.status === "active");
  if (others.length === 0) return null;
  return (
    <Select label={`Change plan of ${service.username}`} name="changePlan" value="" placeholder="Change plan…"
      onChange={(v) => v && onChange(v)} options={others.map((p) => ({ value: p.id, label: p.name }))} />
  );
}
