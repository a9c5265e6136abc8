import { useMemo, useState } from "react";
import { useApi } from "../../shared/app";
import { money } from "../../shared/format";
import { describe } from "../../shared/problem";
import { Chart } from "../../shared/ui/Chart";
import { Field, Select } from "../../shared/ui/Form";
import { Alert, ErrorMessage, Loading } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";

interface Series<T> { timeZone: string; currency: string | null; grain: string; from: string; to: string; points: T[] }
interface SubscriberPoint { period: string; active: number; suspended: number; activated: number; churned: number }
interface RevenuePoint { period: string; mrr: number; newMrr: number; churnedMrr: number; arpu: number | null }
interface CollectionsPoint { period: string; invoiced: number; collected: number; outstanding: number; overdueInvoices: number }
interface ProvisioningPoint { period: string; submitted: number; activated: number; failed: number }

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const epoch = (period: string) => new Date(`${period}T00:00:00Z`).getTime() / 1000;

/** The tenant's figures over a range (analytics' series), each as a chart, and any of them as CSV. */
export function Analytics() {
  const api = useApi();
  const today = new Date();
  const [from, setFrom] = useState(isoDay(new Date(today.getTime() - 30 * 86_400_000)));
  const [to, setTo] = useState(isoDay(today));
  const [grain, setGrain] = useState("day");
  const [csvError, setCsvError] = useState<string | null>(null);
  const query = { from, to, grain };
  const data = useLoad(async (signal) => {
    const [subscribers, revenue, collections, provisioning] = await Promise.all([
      api.get<Series<SubscriberPoint>>("/api/v1/analytics/series/subscribers", query, signal),
      api.get<Series<RevenuePoint>>("/api/v1/analytics/series/revenue", query, signal),
      api.get<Series<CollectionsPoint>>("/api/v1/analytics/series/collections", query, signal),
      api.get<Series<ProvisioningPoint>>("/api/v1/analytics/series/provisioning", query, signal),
    ]);
    return { subscribers, revenue, collections, provisioning };
  }, [from, to, grain]);
  const charts = useMemo(() => {
    if (!data.data) return null;
    const { subscribers, revenue, collections, provisioning } = data.data;
    return {
      currency: revenue.currency,
      subscribers: { times: subscribers.points.map((p) => epoch(p.period)), series: [
        { label: "Active", values: subscribers.points.map((p) => p.active), color: "#17663a" },
        { label: "Suspended", values: subscribers.points.map((p) => p.suspended), color: "#b35900" },
      ] },
      revenue: { times: revenue.points.map((p) => epoch(p.period)), series: [
        { label: "MRR", values: revenue.points.map((p) => p.mrr), color: "#0b5cad" },
      ] },
      collections: { times: collections.points.map((p) => epoch(p.period)), series: [
        { label: "Invoiced", values: collections.points.map((p) => p.invoiced), color: "#0b5cad" },
        { label: "Collected", values: collections.points.map((p) => p.collected), color: "#17663a" },
        { label: "Outstanding", values: collections.points.map((p) => p.outstanding), color: "#a4161a" },
      ] },
      provisioning: { times: provisioning.points.map((p) => epoch(p.period)), series: [
        { label: "Submitted", values: provisioning.points.map((p) => p.submitted), color: "#0b5cad" },
        { label: "Activated", values: provisioning.points.map((p) => p.activated), color: "#17663a" },
        { label: "Failed", values: provisioning.points.map((p) => p.failed), color: "#a4161a" },
      ] },
    };
  }, [data.data]);
  const formatMoney = useMemo(() => (v: number) => money(v, charts?.currency), [charts?.currency]);
  const count = useMemo(() => (v: number) => String(Math.round(v)), []);

  async function download(name: string) {
    setCsvError(null);
    try {
      const csv = await api.request<string>(`/api/v1/analytics/series/${name}`, { query: { ...query, format: "csv" }, text: true });
      const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
      const link = Object.assign(document.createElement("a"), { href: url, download: `analytics-${name}-${from}-${to}-${grain}.csv` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setCsvError(describe(error));
    }
  }

  return (
    <>
      <PageHeader title="Analytics" />
      <form className="toolbar" onSubmit={(e) => e.preventDefault()} aria-label="Range">
        <Field label="From" name="from" type="date" value={from} onChange={setFrom} />
        <Field label="To" name="to" type="date" value={to} onChange={setTo} />
        <Select label="Grain" name="grain" value={grain} onChange={setGrain}
          options={[{ value: "day", label: "Day" }, { value: "week", label: "Week" }, { value: "month", label: "Month" }]} />
      </form>
      {csvError && <Alert kind="error">{csvError}</Alert>}
      {data.error ? <ErrorMessage error={data.error} retry={data.reload} /> : !charts ? <Loading label="Computing the figures…" /> : (
        <div className="grid">
          {([
            ["subscribers", "Subscribers", charts.subscribers, count],
            ["revenue", "Monthly recurring revenue", charts.revenue, formatMoney],
            ["collections", "Invoiced, collected and outstanding", charts.collections, formatMoney],
            ["provisioning", "Orders", charts.provisioning, count],
          ] as const).map(([name, title, chart, format]) => (
            <Section key={name} title={title}>
              <Chart title={title} times={chart.times} series={chart.series} format={format} caption={false} integer={format === count} />
              <button type="button" className="button link" onClick={() => download(name)}>Download {title.toLowerCase()} as CSV</button>
            </Section>
          ))}
        </div>
      )}
    </>
  );
}
