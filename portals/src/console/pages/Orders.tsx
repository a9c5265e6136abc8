import { useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useApi, useClaims } from "../../shared/app";
import { can } from "../../shared/claims";
import { dateTime } from "../../shared/format";
import { idempotencyKey } from "../../shared/session";
import { Field, Form, Select, required } from "../../shared/ui/Form";
import { Alert, ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad, usePoll } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";
import { Pager, Table } from "../../shared/ui/Table";
import type { IpPool, KeysetPage, Customer, OffsetPage, Order, Plan } from "../model";

const limit = 25;
const statuses = ["", "pending", "provisioning", "active", "failed"];

export function Orders() {
  const api = useApi();
  const claims = useClaims();
  const [params] = useSearchParams();
  const [status, setStatus] = useState("");
  const [offset, setOffset] = useState(0);
  const customerId = params.get("customerId") ?? "";
  const page = useLoad((signal) => api.get<OffsetPage<Order>>("/api/v1/services/service-orders", { limit, offset, status, customerId }, signal), [offset, status, customerId]);
  const pending = page.data?.items.some((o) => o.status === "pending" || o.status === "provisioning") ?? false;
  usePoll(page.reload, 3000, pending);
  return (
    <>
      <PageHeader title="Orders" />
      {can(claims, "services", "write") && (
        <Section title="Submit an order">
          <SubmitOrder customerId={customerId} />
        </Section>
      )}
      <div className="toolbar">
        <Select label="Status" name="status" value={status} onChange={(v) => { setStatus(v); setOffset(0); }}
          options={statuses.map((s) => ({ value: s, label: s || "Any" }))} />
      </div>
      {page.error ? <ErrorMessage error={page.error} retry={page.reload} /> : null}
      {!page.data ? <Loading /> : (
        <>
          <Table<Order> caption="Orders" rows={page.data.items} rowKey={(o) => o.id} columns={[
            { header: "Username", cell: (o) => <Link to={`/orders/${o.id}`}>{o.username}</Link> },
            { header: "Order", cell: (o) => <Status value={o.status} /> },
            { header: "Service", cell: (o) => <Status value={o.serviceStatus} /> },
            { header: "Address", cell: (o) => o.address ?? "—" },
            { header: "Submitted", cell: (o) => dateTime(o.createdAt) },
          ]} />
          <Pager total={page.data.total} limit={limit} offset={offset} onOffset={setOffset} />
        </>
      )}
    </>
  );
}

interface OrderValues { customerId: string; planId: string; poolId: string; username: string }

function SubmitOrder({ customerId }: { customerId: string }) {
  const api = useApi();
  const navigate = useNavigate();
  // One key per submission: pressing the button again after a lost answer repeats the same order, never a second one.
  const key = useRef(idempotencyKey());
  const options = useLoad(async (signal) => {
    const [customers, plans, pools] = await Promise.all([
      api.get<KeysetPage<Customer>>("/api/v1/identity/customers", { limit: 200 }, signal),
      api.get<OffsetPage<Plan>>("/api/v1/services/plans", { limit: 200 }, signal),
      api.get<OffsetPage<IpPool>>("/api/v1/networking/ip-pools", { limit: 200 }, signal),
    ]);
    return { customers: customers.items, plans: plans.items.filter((p) => p.status === "active"), pools: pools.items };
  }, []);
  if (options.error) return <ErrorMessage error={options.error} retry={options.reload} />;
  if (!options.data) return <Loading label="Loading customers, plans and pools…" />;
  const { customers, plans, pools } = options.data;
  if (plans.length === 0 || pools.length === 0)
    return <Alert kind="info">An order needs an active plan and an address pool: create them under Plans and IPAM first.</Alert>;
  return (
    <Form<OrderValues>
      label="Submit an order"
      initial={{ customerId, planId: "", poolId: pools.length === 1 ? pools[0]!.id : "", username: "" }}
      submitLabel="Submit order"
      busyLabel="Submitting…"
      validate={(v) => ({
        customerId: required(v.customerId, "Customer"),
        planId: required(v.planId, "Plan"),
        poolId: required(v.poolId, "Pool"),
        username: v.username && !/^[A-Za-z0-9._@-]{3,64}$/.test(v.username) ? "3-64 letters, digits or . _ @ -" : undefined,
      })}
      onSubmit={async (v) => {
        const order = await api.post<Order>("/api/v1/services/service-orders",
          { customerId: v.customerId, planId: v.planId, poolId: v.poolId, username: v.username.trim() || null },
          { "Idempotency-Key": key.current });
        key.current = idempotencyKey();
        navigate(`/orders/${order.id}`);
      }}
    >
      {({ values, errors, set }) => (
        <div className="form-row">
          <Select label="Customer" name="customerId" value={values.customerId} onChange={(v) => set("customerId", v)} error={errors.customerId} required
            placeholder="Choose a customer" options={customers.map((c) => ({ value: c.id, label: `${c.name} (${c.email})` }))} />
          <Select label="Plan" name="planId" value={values.planId} onChange={(v) => set("planId", v)} error={errors.planId} required
            placeholder="Choose a plan" options={plans.map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))} />
          <Select label="Address pool" name="poolId" value={values.poolId} onChange={(v) => set("poolId", v)} error={errors.poolId} required
            placeholder="Choose a pool" options={pools.map((p) => ({ value: p.id, label: `${p.name} (${p.network})` }))} />
          <Field label="Username (optional)" name="username" value={values.username} onChange={(v) => set("username", v)} error={errors.username} hint="Generated when left empty." />
        </div>
      )}
    </Form>
  );
}

const sagaSteps = [
  { step: "ip", label: "Address allocated" },
  { step: "subscription", label: "Billing subscription opened" },
  { step: "network_profile", label: "RADIUS profile written" },
];

/** One order, followed live until it is active or failed: each saga step as it completes. */
export function OrderDetail() {
  const { id = "" } = useParams();
  const api = useApi();
  const order = useLoad((signal) => api.get<Order>(`/api/v1/services/service-orders/${id}`, undefined, signal), [id]);
  const settled = order.data?.status === "active" || order.data?.status === "failed";
  usePoll(order.reload, 1000, !!order.data && !settled);
  if (order.error && !order.data) return <ErrorMessage error={order.error} retry={order.reload} />;
  if (!order.data) return <Loading />;
  const o = order.data;
  const steps = o.steps ?? [];
  const outcomeOf = (step: string) => [...steps].reverse().find((s) => s.step === step);
  return (
    <>
      <PageHeader title={`Order ${o.username}`}>
        <Link className="button" to={`/customers/${o.customerId}`}>Customer</Link>
      </PageHeader>
      <Section title="Progress">
        <p aria-live="polite" data-testid="order-status">
          Order <Status value={o.status} /> · service <Status value={o.serviceStatus} />
          {!settled && <span className="spinner" aria-hidden="true" />}
        </p>
        {o.status === "failed" && <Alert kind="error">Failed at {o.failedStep ?? "a step"}: {o.failureReason ?? "no reason given"}.</Alert>}
        <ol className="steps" aria-label="Provisioning steps">
          {sagaSteps.map((s) => {
            const done = outcomeOf(s.step);
            const mark = !done ? "…" : done.outcome === "failed" ? "✗" : done.outcome === "compensated" ? "↺" : "✓";
            return (
              <li key={s.step}>
                <span className="mark" aria-hidden="true">{mark}</span>
                <span>{s.label}: {done ? `${done.outcome}${done.detail ? ` (${done.detail})` : ""}, ${dateTime(done.at)}` : settled ? "not reached" : "waiting"}</span>
              </li>
            );
          })}
        </ol>
      </Section>
      <Section title="Details">
        <dl className="facts">
          <dt>Address</dt><dd>{o.address ?? "—"}</dd>
          <dt>Plan version</dt><dd>v{o.planVersion}</dd>
          <dt>Submitted</dt><dd>{dateTime(o.createdAt)}</dd>
          <dt>Updated</dt><dd>{dateTime(o.updatedAt)}</dd>
          <dt>Service id</dt><dd><code>{o.serviceId}</code></dd>
        </dl>
        {steps.length > 0 && (
          <Table caption="Every step" rows={steps} rowKey={(s) => `${s.step}-${s.at}-${s.outcome}`} columns={[
            { header: "Step", cell: (s) => s.step },
            { header: "Outcome", cell: (s) => <Status value={s.outcome} /> },
            { header: "Detail", cell: (s) => s.detail ?? "" },
            { header: "At", cell: (s) => dateTime(s.at) },
          ]} />
        )}
      </Section>
    </>
  );
}
