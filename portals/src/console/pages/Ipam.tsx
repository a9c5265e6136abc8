import { useState } from "react";
import { useApi, useClaims } from "../../shared/app";
import { can } from "../../shared/claims";
import { dateTime } from "../../shared/format";
import { Field, Form, Select, required } from "../../shared/ui/Form";
import { ErrorMessage, Loading, Progress } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";
import { Pager, Table } from "../../shared/ui/Table";
import type { OffsetPage } from "../model";

interface Prefix { id: string; prefix: string; site: string | null; description: string | null; createdAt: string }
interface Pool {
  id: string; name: string; prefixId: string; site: string | null; network: string; family: number; assignLength: number;
  gateway: string | null; description: string | null; createdAt: string;
  utilization: { size: number; allocated: number; reserved: number; free: number; percent: number };
}
interface Allocation { id: string; poolId: string; address: string; kind: string; reference: string | null; description: string | null; createdAt: string }

const limit = 25;

export function Ipam() {
  const api = useApi();
  const claims = useClaims();
  const writable = can(claims, "network", "write");
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Pool | null>(null);
  const prefixes = useLoad((signal) => api.get<OffsetPage<Prefix>>("/api/v1/networking/ip-prefixes", { limit: 200 }, signal), []);
  const pools = useLoad((signal) => api.get<OffsetPage<Pool>>("/api/v1/networking/ip-pools", { limit, offset }, signal), [offset]);
  return (
    <>
      <PageHeader title="IP address management" />
      <div className="grid">
        <Section title="Prefixes">
          {prefixes.error ? <ErrorMessage error={prefixes.error} retry={prefixes.reload} /> : !prefixes.data ? <Loading /> : (
            <Table<Prefix> caption="Prefixes" rows={prefixes.data.items} rowKey={(p) => p.id} columns={[
              { header: "Prefix", cell: (p) => <code>{p.prefix}</code> },
              { header: "Site", cell: (p) => p.site ?? "—" },
              { header: "Description", cell: (p) => p.description ?? "" },
            ]} />
          )}
          {writable && <PrefixForm onSaved={prefixes.reload} />}
        </Section>
        {writable && (
          <Section title="New pool">
            {prefixes.data && prefixes.data.items.length > 0
              ? <PoolForm prefixes={prefixes.data.items} onSaved={pools.reload} />
              : <p>Add a prefix first; a pool is carved out of one.</p>}
          </Section>
        )}
      </div>
      <Section title="Pools">
        {pools.error ? <ErrorMessage error={pools.error} retry={pools.reload} /> : !pools.data ? <Loading /> : (
          <>
            <Table<Pool> caption="Pools" rows={pools.data.items} rowKey={(p) => p.id} columns={[
              { header: "Name", cell: (p) => <button type="button" className="button link" onClick={() => setSelected(p)}>{p.name}</button> },
              { header: "Network", cell: (p) => <code>{p.network}</code> },
              { header: "Site", cell: (p) => p.site ?? "—" },
              { header: "Used", cell: (p) => <Progress value={p.utilization.allocated + p.utilization.reserved} max={p.utilization.size} label={`${p.name} utilisation`} /> },
              { header: "Allocated", numeric: true, cell: (p) => `${p.utilization.allocated} / ${p.utilization.size}` },
            ]} />
            <Pager total={pools.data.total} limit={limit} offset={offset} onOffset={setOffset} />
          </>
        )}
      </Section>
      {selected && <Allocations pool={selected} />}
    </>
  );
}

function Allocations({ pool }: { pool: Pool }) {
  const api = useApi();
  const [offset, setOffset] = useState(0);
  const page = useLoad((signal) => api.get<OffsetPage<Allocation>>(`/api/v1/networking/ip-pools/${pool.id}/allocations`, { limit, offset }, signal), [pool.id, offset]);
  return (
    <Section title={`Allocations in ${pool.name}`}>
      {page.error ? <ErrorMessage error={page.error} retry={page.reload} /> : !page.data ? <Loading /> : (
        <>
          <Table<Allocation> caption={`Allocations in ${pool.name}`} rows={page.data.items} rowKey={(a) => a.id} columns={[
            { header: "Address", cell: (a) => <code>{a.address}</code> },
            { header: "Kind", cell: (a) => a.kind },
            { header: "Holder", cell: (a) => a.reference ?? a.description ?? "—" },
            { header: "Since", cell: (a) => dateTime(a.createdAt) },
          ]} />
          <Pager total={page.data.total} limit={limit} offset={offset} onOffset={setOffset} />
        </>
      )}
    </Section>
  );
}

function PrefixForm({ onSaved }: { onSaved: () => void }) {
  const api = useApi();
  return (
    <Form<{ prefix: string; site: string; description: string }>
      label="Add a prefix" initial={{ prefix: "", site: "", description: "" }} submitLabel="Add prefix" busyLabel="Adding…"
      validate={(v) => ({ prefix: required(v.prefix, "Prefix") ?? (v.prefix.includes("/") ? undefined : "A prefix in CIDR form, e.g. 100.64.0.0/16.") })}
      onSubmit={async (v) => {
        await api.post("/api/v1/networking/ip-prefixes", { prefix: v.prefix.trim(), site: v.site.trim() || null, description: v.description.trim() || null });
        onSaved();
      }}
    >
      {({ values, errors, set }) => (
        <div className="form-row">
          <Field label="Prefix" name="prefix" value={values.prefix} onChange={(v) => set("prefix", v)} error={errors.prefix} required hint="e.g. 100.64.0.0/16" />
          <Field label="Site" name="site" value={values.site} onChange={(v) => set("site", v)} error={errors.site} />
          <Field label="Description" name="description" value={values.description} onChange={(v) => set("description", v)} error={errors.description} />
        </div>
      )}
    </Form>
  );
}

function PoolForm({ prefixes, onSaved }: { prefixes: Prefix[]; onSaved: () => void }) {
  const api = useApi();
  return (
    <Form<{ name: string; prefixId: string; network: string; gateway: string; description: string }>
      label="New pool" initial={{ name: "", prefixId: prefixes.length === 1 ? prefixes[0]!.id : "", network: "", gateway: "", description: "" }}
      submitLabel="Create pool" busyLabel="Creating…"
      validate={(v) => ({
        name: required(v.name, "Name"),
        prefixId: required(v.prefixId, "Prefix"),
        network: required(v.network, "Network") ?? (v.network.includes("/") ? undefined : "A network in CIDR form inside the prefix."),
      })}
      onSubmit={async (v) => {
        await api.post("/api/v1/networking/ip-pools", { name: v.name.trim(), prefixId: v.prefixId, network: v.network.trim(), gateway: v.gateway.trim() || null, description: v.description.trim() || null });
        onSaved();
      }}
    >
      {({ values, errors, set }) => (
        <>
          <Field label="Name" name="name" value={values.name} onChange={(v) => set("name", v)} error={errors.name} required />
          <Select label="Prefix" name="prefixId" value={values.prefixId} onChange={(v) => set("prefixId", v)} error={errors.prefixId} required
            placeholder="Choose a prefix" options={prefixes.map((p) => ({ value: p.id, label: p.prefix }))} />
          <div className="form-row">
            <Field label="Network" name="network" value={values.network} onChange={(v) => set("network", v)} error={errors.network} required hint="e.g. 100.64.1.0/24" />
            <Field label="Gateway" name="gateway" value={values.gateway} onChange={(v) => set("gateway", v)} error={errors.gateway} />
          </div>
        </>
      )}
    </Form>
  );
}
