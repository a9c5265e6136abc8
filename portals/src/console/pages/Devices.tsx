import { useMemo, useState } from "react";
import { useApi, useClaims } from "../../shared/app";
import { can } from "../../shared/claims";
import { bitsPerSecond, dateTime } from "../../shared/format";
import { describe } from "../../shared/problem";
import { Chart } from "../../shared/ui/Chart";
import { Field, Form, Select, required } from "../../shared/ui/Form";
import { Alert, ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad, usePoll } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";
import { Pager, Table } from "../../shared/ui/Table";
import type { OffsetPage } from "../model";

interface Device {
  id: string; name: string; site: string | null; managementAddress: string; snmpPort: number; snmpVersion: string;
  pollIntervalSeconds: number; status: string; lastPolledAt: string | null; lastError: string | null; createdAt: string;
}
interface NetworkInterface { id: string; ifIndex: number; name: string; description: string; alias: string; ifType: number; speedBps: number; adminStatus: number; operStatus: number }
interface BandwidthPoint { bucket: string; inBps: number; outBps: number; maxInBps: number; maxOutBps: number; samples: number }

const limit = 25;
const operStatus = (value: number) => ({ 1: "up", 2: "down", 3: "testing", 5: "dormant", 7: "lowerlayerdown" } as Record<number, string>)[value] ?? "unknown";

export function Devices() {
  const api = useApi();
  const claims = useClaims();
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Device | null>(null);
  const [registering, setRegistering] = useState(false);
  const page = useLoad((signal) => api.get<OffsetPage<Device>>("/api/v1/networking/devices", { limit, offset }, signal), [offset]);
  usePoll(page.reload, 15_000, true); // statuses change as networking polls
  return (
    <>
      <PageHeader title="Devices">
        {can(claims, "network", "write") && <button type="button" className="button primary" aria-expanded={registering} onClick={() => setRegistering(!registering)}>Register device</button>}
      </PageHeader>
      {registering && (
        <Section title="Register a device">
          <RegisterDevice onRegistered={() => { setRegistering(false); page.reload(); }} />
        </Section>
      )}
      {page.error ? <ErrorMessage error={page.error} retry={page.reload} /> : null}
      {!page.data ? <Loading /> : (
        <>
          <Table<Device> caption="Devices" rows={page.data.items} rowKey={(d) => d.id} empty="No devices registered." columns={[
            { header: "Name", cell: (d) => <button type="button" className="button link" onClick={() => setSelected(d)}>{d.name}</button> },
            { header: "Address", cell: (d) => <code>{d.managementAddress}</code> },
            { header: "Site", cell: (d) => d.site ?? "—" },
            { header: "Status", cell: (d) => <><Status value={d.status} />{d.lastError ? ` ${d.lastError}` : ""}</> },
            { header: "Last polled", cell: (d) => dateTime(d.lastPolledAt) },
            { header: "Every", numeric: true, cell: (d) => `${d.pollIntervalSeconds} s` },
          ]} />
          <Pager total={page.data.total} limit={limit} offset={offset} onOffset={setOffset} />
        </>
      )}
      {selected && <DeviceDetail device={selected} />}
    </>
  );
}

function DeviceDetail({ device }: { device: Device }) {
  const api = useApi();
  const claims = useClaims();
  const [message, setMessage] = useState<string | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const interfaces = useLoad((signal) => api.get<NetworkInterface[]>(`/api/v1/networking/devices/${device.id}/interfaces`, undefined, signal), [device.id]);
  async function discover() {
    setMessage("Walking the device's interface tables…");
    try {
      await api.post(`/api/v1/networking/devices/${device.id}/interfaces/discover`);
      setMessage(null);
      interfaces.reload();
    } catch (error) {
      setMessage(describe(error));
    }
  }
  return (
    <Section title={`Interfaces of ${device.name}`}>
      {can(claims, "network", "write") && <p><button type="button" className="button" onClick={discover}>Discover interfaces</button></p>}
      {message && <Alert kind="info">{message}</Alert>}
      {interfaces.error ? <ErrorMessage error={interfaces.error} retry={interfaces.reload} /> : !interfaces.data ? <Loading /> : (
        <Table<NetworkInterface> caption={`Interfaces of ${device.name}`} rows={interfaces.data} rowKey={(i) => i.id} empty="No interfaces discovered yet." columns={[
          { header: "Index", numeric: true, cell: (i) => i.ifIndex },
          { header: "Name", cell: (i) => <button type="button" className="button link" onClick={() => setChosen(i.ifIndex)}>{i.name || i.description}</button> },
          { header: "Alias", cell: (i) => i.alias || "—" },
          { header: "Speed", numeric: true, cell: (i) => (i.speedBps ? bitsPerSecond(i.speedBps) : "—") },
          { header: "Status", cell: (i) => <Status value={operStatus(i.operStatus)} /> },
        ]} />
      )}
      {chosen !== null && <Bandwidth device={device} ifIndex={chosen} />}
    </Section>
  );
}

const ranges = [{ value: "1", label: "Last hour", bucket: "1m" }, { value: "24", label: "Last 24 hours", bucket: "5m" }, { value: "168", label: "Last 7 days", bucket: "1h" }];

function Bandwidth({ device, ifIndex }: { device: Device; ifIndex: number }) {
  const api = useApi();
  const [hours, setHours] = useState("24");
  const range = ranges.find((r) => r.value === hours)!;
  const points = useLoad((signal) => {
    const to = new Date();
    const from = new Date(to.getTime() - Number(hours) * 3_600_000);
    return api.get<{ points: BandwidthPoint[] }>(`/api/v1/networking/devices/${device.id}/interfaces/${ifIndex}/bandwidth`,
      { bucket: range.bucket, from: from.toISOString(), to: to.toISOString() }, signal);
  }, [device.id, ifIndex, hours]);
  usePoll(points.reload, 60_000, true);
  const chart = useMemo(() => {
    const data = points.data?.points ?? [];
    return {
      times: data.map((p) => new Date(p.bucket).getTime() / 1000),
      series: [
        { label: "In", values: data.map((p) => p.inBps), color: "#0b5cad" },
        { label: "Out", values: data.map((p) => p.outBps), color: "#b35900" },
      ],
    };
  }, [points.data]);
  return (
    <div>
      <div className="toolbar">
        <Select label="Range" name="range" value={hours} onChange={setHours} options={ranges} />
      </div>
      {points.error ? <ErrorMessage error={points.error} retry={points.reload} /> : !points.data ? <Loading label="Loading the bandwidth…" /> :
        chart.times.length === 0 ? <p>No samples in this range yet.</p> :
          <Chart title={`Bandwidth of interface ${ifIndex} on ${device.name} (${range.label.toLowerCase()})`} times={chart.times} series={chart.series} format={bitsPerSecond} />}
    </div>
  );
}

interface DeviceValues { name: string; managementAddress: string; site: string; version: string; community: string; port: string; pollIntervalSeconds: string }

function RegisterDevice({ onRegistered }: { onRegistered: () => void }) {
  const api = useApi();
  return (
    <Form<DeviceValues>
      label="Register a device"
      initial={{ name: "", managementAddress: "", site: "", version: "v2c", community: "", port: "161", pollIntervalSeconds: "60" }}
      submitLabel="Register" busyLabel="Registering…"
      validate={(v) => ({
        name: required(v.name, "Name"),
        managementAddress: required(v.managementAddress, "Management address"),
        community: required(v.community, "Community"),
        port: /^\d+$/.test(v.port) && Number(v.port) > 0 && Number(v.port) < 65536 ? undefined : "A port from 1 to 65535.",
        pollIntervalSeconds: /^\d+$/.test(v.pollIntervalSeconds) && Number(v.pollIntervalSeconds) >= 1 ? undefined : "Seconds, 1 or more.",
      })}
      onSubmit={async (v) => {
        await api.post("/api/v1/networking/devices", {
          name: v.name.trim(), managementAddress: v.managementAddress.trim(), site: v.site.trim() || null, pollIntervalSeconds: Number(v.pollIntervalSeconds),
          snmp: { version: v.version, port: Number(v.port), community: v.community },
        });
        onRegistered();
      }}
    >
      {({ values, errors, set }) => (
        <>
          <div className="form-row">
            <Field label="Name" name="name" value={values.name} onChange={(x) => set("name", x)} error={errors.name} required />
            <Field label="Management address" name="managementAddress" value={values.managementAddress} onChange={(x) => set("managementAddress", x)} error={errors.managementAddress} required />
            <Field label="Site" name="site" value={values.site} onChange={(x) => set("site", x)} error={errors.site} />
          </div>
          <div className="form-row">
            <Select label="SNMP version" name="version" value={values.version} onChange={(x) => set("version", x)} options={[{ value: "v2c", label: "v2c" }, { value: "v1", label: "v1" }]} />
            <Field label="Community" name="community" type="password" value={values.community} onChange={(x) => set("community", x)} error={errors.community} required />
            <Field label="SNMP port" name="port" inputMode="numeric" value={values.port} onChange={(x) => set("port", x)} error={errors.port} />
            <Field label="Poll every (s)" name="pollIntervalSeconds" inputMode="numeric" value={values.pollIntervalSeconds} onChange={(x) => set("pollIntervalSeconds", x)} error={errors.pollIntervalSeconds} />
          </div>
        </>
      )}
    </Form>
  );
}
