import { useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { colour, duration, get, time, type Attr, type SpanRecord, type TraceDetail } from "../api";
import { useLoad, usePoll } from "../../shared/ui/hooks";
import { ErrorMessage, Loading } from "../../shared/ui/Feedback";
import { PageHeader } from "../../shared/ui/Shell";

interface Row { span: SpanRecord; depth: number }

/** Spans in tree order (children by start time below their parent); spans whose parent is missing start a branch. */
export function order(spans: SpanRecord[]): Row[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, SpanRecord[]>();
  const roots: SpanRecord[] = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) {
      const list = children.get(s.parentSpanId) ?? [];
      list.push(s);
      children.set(s.parentSpanId, list);
    } else roots.push(s);
  }
  const rows: Row[] = [];
  const visit = (s: SpanRecord, depth: number) => {
    rows.push({ span: s, depth });
    for (const c of (children.get(s.spanId) ?? []).sort((a, b) => a.startUnixNano - b.startUnixNano)) visit(c, depth + 1);
  };
  for (const r of roots.sort((a, b) => a.startUnixNano - b.startUnixNano)) visit(r, 0);
  return rows;
}

function Attributes({ items, label }: { items: Attr[]; label: string }) {
  if (items.length === 0) return <p className="muted">No {label.toLowerCase()}.</p>;
  return (
    <dl className="attributes" aria-label={label}>
      {items.map((a, i) => (
        <div key={`${a.key}-${i}`}>
          <dt>{a.key}</dt>
          <dd>{a.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One trace as a waterfall across the gateway, the services and the bus; a span's attributes, events and its log lines. */
export function TraceView() {
  const { traceId = "" } = useParams();
  const detail = useLoad((signal) => get<TraceDetail>(`/api/telemetry/traces/${traceId}`, signal), [traceId]);
  const [selected, setSelected] = useState<string | null>(null);
  const [statements, setStatements] = useState(true);
  // A trace still arriving (a saga's later steps) fills in while it is open.
  usePoll(detail.reload, 3000, true);
  const rows = useMemo(() => {
    const all = order(detail.data?.spans ?? []);
    return statements ? all : all.filter((r) => !r.span.attributes.some((a) => a.key === "db.system" || a.key === "db.system.name"));
  }, [detail.data, statements]);
  if (detail.error !== undefined && !detail.data) return <ErrorMessage error={detail.error} retry={detail.reload} />;
  if (!detail.data) return <Loading />;
  const { summary, logs } = detail.data;
  const start = Math.min(...rows.map((r) => r.span.startUnixNano));
  const end = Math.max(...rows.map((r) => r.span.endUnixNano));
  const total = Math.max(end - start, 1);
  const span = rows.find((r) => r.span.spanId === selected)?.span;
  const spanLogs = span ? logs.filter((l) => l.spanId === span.spanId) : [];
  const logCount = new Map<string, number>();
  for (const l of logs) if (l.spanId) logCount.set(l.spanId, (logCount.get(l.spanId) ?? 0) + 1);
  return (
    <>
      <PageHeader title={`${summary.rootService}: ${summary.rootName}`}>
        <label className="inline-check">
          <input type="checkbox" checked={statements} onChange={(e) => setStatements(e.target.checked)} /> Database statements
        </label>
        <Link to={`/logs?traceId=${summary.traceId}`}>All {logs.length} log lines of this trace</Link>
      </PageHeader>
      <p className="muted">
        Trace <code>{summary.traceId}</code> · {time(summary.startUnixNano)} · {duration(summary.durationMs)} · {summary.spanCount} spans ·{" "}
        {summary.services.join(", ")} · {summary.status}
      </p>
      <div className="waterfall card" role="tree" aria-label="Spans of the trace">
        {rows.map(({ span: s, depth }) => {
          const left = ((s.startUnixNano - start) / total) * 100;
          const width = Math.max(((s.endUnixNano - s.startUnixNano) / total) * 100, 0.3);
          return (
            <button
              type="button"
              role="treeitem"
              aria-level={depth + 1}
              aria-selected={s.spanId === selected}
              key={s.spanId}
              className={`span-row${s.spanId === selected ? " selected" : ""}${s.status === "error" ? " error" : ""}`}
              data-service={s.service}
              data-span-id={s.spanId}
              onClick={() => setSelected(s.spanId)}
            >
              <span className="span-label" style={{ paddingLeft: `${Math.min(depth, 24) * 10}px` }}>
                <span className="chip" style={{ borderColor: colour(s.service) }}>{s.service}</span> {s.name}
                {logCount.get(s.spanId) ? <span className="log-count" title="log lines in this span"> · {logCount.get(s.spanId)} logs</span> : null}
              </span>
              <span className="span-track" aria-hidden="true">
                <span className="span-bar" style={{ left: `${left}%`, width: `${width}%`, background: colour(s.service) }} />
              </span>
              <span className="span-duration">{duration(s.durationMs)}</span>
            </button>
          );
        })}
      </div>
      {span && (
        <section className="card span-detail" aria-labelledby="span-title">
          <h2 id="span-title">{span.service}: {span.name}</h2>
          <p className="muted">
            {span.kind} · {duration(span.durationMs)} · started {time(span.startUnixNano)} · status {span.status}
            {span.statusMessage ? ` (${span.statusMessage})` : ""} · span <code>{span.spanId}</code> · {span.scope}
          </p>
          <h3>Attributes</h3>
          <Attributes items={span.attributes} label="Attributes" />
          {span.events.length > 0 && (
            <>
              <h3>Events</h3>
              <ul className="events">
                {span.events.map((e, i) => (
                  <li key={i}>
                    {time(e.timeUnixNano)} <strong>{e.name}</strong>
                    <Attributes items={e.attributes} label={`Attributes of ${e.name}`} />
                  </li>
                ))}
              </ul>
            </>
          )}
          {span.links.length > 0 && (
            <>
              <h3>Links</h3>
              <ul>
                {span.links.map((l) => (
                  <li key={l.spanId}><Link to={`/traces/${l.traceId}`}>trace {l.traceId}</Link> (span {l.spanId})</li>
                ))}
              </ul>
            </>
          )}
          <h3>Log lines</h3>
          {spanLogs.length === 0 ? (
            <p className="muted">None in this span.</p>
          ) : (
            <ul className="span-logs">
              {spanLogs.map((l) => (
                <li key={l.sequence} className={`level-${l.level.toLowerCase()}`}>
                  {time(l.timeUnixNano)} <strong>{l.level}</strong> {l.category}: {l.message}
                </li>
              ))}
            </ul>
          )}
          <Link to={`/logs?traceId=${span.traceId}&spanId=${span.spanId}`}>Open these in Structured logs</Link>
        </section>
      )}
    </>
  );
}
