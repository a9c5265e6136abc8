import { useMemo } from "react";
import { useSearchParams } from "react-router";
import { get, query, type ChartLine, type Instrument, type MetricChart } from "../api";
import { useLoad, usePoll } from "../../shared/ui/hooks";
import { ErrorMessage, Loading } from "../../shared/ui/Feedback";
import { PageHeader } from "../../shared/ui/Shell";
import { Chart, type ChartSeries } from "../../shared/ui/Chart";

const colours = ["#1f6feb", "#cf222e", "#116329", "#8250df", "#bc4c00", "#bf3989", "#0a3069", "#6e7781", "#953800", "#4d2d00"];

/** Lines that share no timestamps become one aligned table (uPlot's shape): gaps are nulls. */
function align(lines: ChartLine[]): { times: number[]; series: ChartSeries[] } {
  const times = [...new Set(lines.flatMap((l) => l.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  return {
    times,
    series: lines.map((l, k) => {
      const values: (number | null)[] = times.map(() => null);
      for (const [t, v] of l.points) values[index.get(t)!] = v;
      return { label: l.label, values, color: colours[k % colours.length] ?? "#1f6feb" };
    }),
  };
}

function unitFormat(unit: string, type: string, rate: boolean): (v: number) => string {
  const number = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));
  if (rate) return (v) => `${number(v)}/s`;
  if (unit === "s") return (v) => (v < 1 ? `${(v * 1000).toFixed(v < 0.01 ? 2 : 0)} ms` : `${v.toFixed(2)} s`);
  if (unit === "By") return (v) => (v >= 1 << 20 ? `${(v / (1 << 20)).toFixed(1)} MiB` : `${(v / 1024).toFixed(0)} KiB`);
  return (v) => `${number(v)}${unit && !unit.startsWith("{") && type !== "counter" ? ` ${unit}` : ""}`;
}

/** Each instrument a service reports, charted: counters as rates, histograms as rate and p50/p95/p99. */
export function Metrics() {
  const [params, setParams] = useSearchParams();
  const service = params.get("service") ?? "";
  const name = params.get("name") ?? "http.server.request.duration";
  const by = params.get("by") ?? "";
  const minutes = params.get("minutes") ?? "15";
  const instruments = useLoad((signal) => get<Instrument[]>("/api/telemetry/metrics", signal), []);
  const chart = useLoad((signal) => get<MetricChart>(`/api/telemetry/metrics/chart${query({ name, service, by, minutes })}`, signal), [name, service, by, minutes]);
  usePoll(chart.reload, 5000, true);
  usePoll(instruments.reload, 15000, true);
  const services = useMemo(() => [...new Set((instruments.data ?? []).map((i) => i.service))].sort(), [instruments.data]);
  const names = useMemo(
    () => [...new Set((instruments.data ?? []).filter((i) => !service || i.service === service).map((i) => i.name))].sort(),
    [instruments.data, service],
  );
  const keys = useMemo(
    () => [...new Set((instruments.data ?? []).filter((i) => i.name === name && (!service || i.service === service)).flatMap((i) => i.keys))].sort(),
    [instruments.data, name, service],
  );
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) (v ? next.set(k, v) : next.delete(k));
    setParams(next);
  };
  const data = chart.data;
  const histogram = data?.type === "histogram";
  const rate = data?.type === "counter" || histogram;
  // Both charts on the same time axis: a quantile exists only where recordings were made.
  const [main, latency] = useMemo(() => {
    const lines = data?.lines ?? [];
    const all = align([...lines, ...(data?.quantiles ?? [])]);
    return [
      { times: all.times, series: all.series.slice(0, lines.length) },
      { times: all.times, series: all.series.slice(lines.length).map((s, k) => ({ ...s, color: colours[k % colours.length] ?? "#1f6feb" })) },
    ];
  }, [data]);
  const mainFormat = useMemo(() => unitFormat(data?.unit ?? "", data?.type ?? "", rate), [data, rate]);
  const latencyFormat = useMemo(() => unitFormat(data?.unit ?? "", "gauge", false), [data]);
  return (
    <>
      <PageHeader title="Metrics" />
      <form className="filters card" aria-label="Choose an instrument" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="m-service">Service</label>
          <select id="m-service" value={service} onChange={(e) => update({ service: e.target.value, by: "" })}>
            <option value="">All services (one line each)</option>
            {services.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <div className="field wide">
          <label htmlFor="m-name">Instrument</label>
          <select id="m-name" value={name} onChange={(e) => update({ name: e.target.value, by: "" })}>
            {!names.includes(name) && <option value={name}>{name}</option>}
            {names.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="m-by">Split by</label>
          <select id="m-by" value={by} onChange={(e) => update({ by: e.target.value })}>
            <option value="">{service ? "Nothing (total)" : "Service"}</option>
            {keys.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="m-minutes">Window</label>
          <select id="m-minutes" value={minutes} onChange={(e) => update({ minutes: e.target.value })}>
            {["5", "15", "60"].map((m) => <option key={m} value={m}>last {m} minutes</option>)}
          </select>
        </div>
      </form>
      {chart.error !== undefined && <ErrorMessage error={chart.error} retry={chart.reload} />}
      {!data && chart.loading && <Loading />}
      {data && (
        <section className="card" aria-labelledby="metric-title">
          <h2 id="metric-title">{data.name}</h2>
          <p className="muted">{data.description || "No description."} · {data.type}{data.unit ? ` · unit ${data.unit}` : ""}</p>
          <Chart title={histogram ? `${data.name}: recordings per second` : rate ? `${data.name} per second` : data.name}
            times={main.times} series={main.series} format={mainFormat} />
          {histogram && latency.series.length > 0 && (
            <Chart title={`${data.name}: p50, p95, p99`} times={latency.times} series={latency.series} format={latencyFormat} />
          )}
        </section>
      )}
      {instruments.data && (
        <section className="card" aria-labelledby="instruments-title">
          <h2 id="instruments-title">Instruments{service ? ` of ${service}` : ""}</h2>
          <ul className="instrument-list">
            {(instruments.data ?? []).filter((i) => !service || i.service === service).map((i) => (
              <li key={`${i.service}/${i.name}`}>
                <button type="button" className="button link" onClick={() => update({ service: i.service, name: i.name, by: "" })}>
                  {i.service}: {i.name}
                </button>{" "}
                <span className="muted">{i.type}{i.unit ? `, ${i.unit}` : ""}, {i.series} series</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
