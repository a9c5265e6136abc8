import { useState } from "react";
import { Link } from "react-router";
import { useFilters } from "../filters";
import { FilterActions, LiveToggle, ServiceField } from "../FilterParts";
import { colour, duration, get, query, time, type TraceSummary } from "../api";
import { useLoad, usePoll } from "../../shared/ui/hooks";
import { ErrorMessage } from "../../shared/ui/Feedback";
import { PageHeader } from "../../shared/ui/Shell";
import { Table } from "../../shared/ui/Table";

const keys = ["service", "name", "status", "minDurationMs", "traceId", "q"] as const;

/** Every trace held, newest first, filtered by service, span name, status, duration, trace id or an attribute. */
export function Traces() {
  const { key, filters, draft, set, apply, clear } = useFilters(keys);
  const [live, setLive] = useState(true);
  const traces = useLoad((signal) => get<TraceSummary[]>(`/api/telemetry/traces${query({ ...filters, limit: 200 })}`, signal), [key]);
  usePoll(traces.reload, 2000, live);
  return (
    <>
      <PageHeader title="Traces">
        <LiveToggle live={live} onChange={setLive} />
      </PageHeader>
      <form className="filters card" onSubmit={apply} aria-label="Filter traces">
        <ServiceField id="f-service" value={draft.service} onChange={set("service")} />
        <div className="field">
          <label htmlFor="f-name">Span name contains</label>
          <input id="f-name" value={draft.name} onChange={set("name")} placeholder="POST /api/v1/service-orders" />
        </div>
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" value={draft.status} onChange={set("status")}>
            <option value="">Any</option>
            <option value="ok">OK</option>
            <option value="error">Error</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-duration">Slower than (ms)</label>
          <input id="f-duration" inputMode="numeric" value={draft.minDurationMs} onChange={set("minDurationMs")} />
        </div>
        <div className="field">
          <label htmlFor="f-trace">Trace id</label>
          <input id="f-trace" value={draft.traceId} onChange={set("traceId")} />
        </div>
        <div className="field wide">
          <label htmlFor="f-q">Attribute (key=value, or any text)</label>
          <input id="f-q" value={draft.q} onChange={set("q")} placeholder="dotmac.order.id=…, dotmac.tenant.id=…, an invoice id" />
        </div>
        <FilterActions onClear={clear} />
      </form>
      {traces.error !== undefined && <ErrorMessage error={traces.error} retry={traces.reload} />}
      <Table
        caption="Traces"
        rows={traces.data ?? []}
        rowKey={(t) => t.traceId}
        empty={traces.loading && !traces.data ? "Loading…" : "No trace matches (or nothing received yet)."}
        columns={[
          { header: "Time", cell: (t) => time(t.startUnixNano) },
          { header: "Trace", cell: (t) => <Link to={`/traces/${t.traceId}`} className="trace-link">{t.rootService}: {t.rootName}</Link> },
          { header: "Duration", cell: (t) => duration(t.durationMs), numeric: true },
          { header: "Spans", cell: (t) => t.spanCount, numeric: true },
          { header: "Services", cell: (t) => <span className="service-chips">{t.services.map((s) => <span key={s} className="chip" style={{ borderColor: colour(s) }}>{s}</span>)}</span> },
          { header: "Status", cell: (t) => <span className={`status status-${t.status === "error" ? "failed" : "active"}`}>{t.status}</span> },
        ]}
      />
    </>
  );
}
