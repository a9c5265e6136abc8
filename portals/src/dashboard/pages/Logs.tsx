import { useState } from "react";
import { Link } from "react-router";
import { useFilters } from "../filters";
import { FilterActions, LiveToggle, ServiceField } from "../FilterParts";
import { colour, get, query, time, type LogRecord } from "../api";
import { useLoad, usePoll } from "../../shared/ui/hooks";
import { ErrorMessage } from "../../shared/ui/Feedback";
import { PageHeader } from "../../shared/ui/Shell";

const keys = ["service", "level", "q", "traceId", "spanId"] as const;
const levels = ["Trace", "Debug", "Information", "Warning", "Error", "Critical"];

/** Every service's structured log records, newest first: level, category, message, attributes, a link to the trace. */
export function Logs() {
  const { key, filters, draft, set, apply, clear } = useFilters(keys);
  const [live, setLive] = useState(true);
  const logs = useLoad((signal) => get<LogRecord[]>(`/api/telemetry/logs${query({ ...filters, limit: 300 })}`, signal), [key]);
  usePoll(logs.reload, 2000, live);
  return (
    <>
      <PageHeader title="Structured logs">
        <LiveToggle live={live} onChange={setLive} />
      </PageHeader>
      <form
        className="filters card"
        aria-label="Filter log records"
        onSubmit={apply}
      >
        <ServiceField id="l-service" value={draft.service} onChange={set("service")} />
        <div className="field">
          <label htmlFor="l-level">At least</label>
          <select id="l-level" value={draft.level} onChange={set("level")}>
            <option value="">Any level</option>
            {levels.map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
        </div>
        <div className="field wide">
          <label htmlFor="l-q">Search (message, category, attribute values)</label>
          <input id="l-q" value={draft.q} onChange={set("q")} />
        </div>
        <div className="field">
          <label htmlFor="l-trace">Trace id</label>
          <input id="l-trace" value={draft.traceId} onChange={set("traceId")} />
        </div>
        <FilterActions onClear={clear} />
      </form>
      {logs.error !== undefined && <ErrorMessage error={logs.error} retry={logs.reload} />}
      <ol className="log-list card" aria-label="Log records, newest first">
        {(logs.data ?? []).length === 0 && <li className="muted">No log record matches (or nothing received yet).</li>}
        {(logs.data ?? []).map((l) => (
          <li key={l.sequence} className={`log-record level-${l.level.toLowerCase()}`} data-trace-id={l.traceId ?? ""}>
            <details>
              <summary>
                <span className="log-time">{time(l.timeUnixNano)}</span>{" "}
                <span className="chip" style={{ borderColor: colour(l.service) }}>{l.service}</span>{" "}
                <span className="log-level">{l.level}</span> <span className="log-category">{l.category}</span>{" "}
                <span className="log-message">{l.message}</span>
              </summary>
              <dl className="attributes">
                {l.attributes.map((a, i) => (
                  <div key={`${a.key}-${i}`}>
                    <dt>{a.key}</dt>
                    <dd>{a.value}</dd>
                  </div>
                ))}
              </dl>
            </details>
            {l.traceId && <Link className="log-trace" to={`/traces/${l.traceId}`} aria-label={`Trace ${l.traceId} of this log record`}>trace</Link>}
          </li>
        ))}
      </ol>
    </>
  );
}
