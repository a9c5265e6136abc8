import { useState } from "react";
import { get, type LogLine, type Resource } from "../api";
import { usePoll, useLoad } from "../../shared/ui/hooks";
import { ErrorMessage } from "../../shared/ui/Feedback";
import { PageHeader } from "../../shared/ui/Shell";
import { Table } from "../../shared/ui/Table";

const uptime = (s?: number) =>
  s == null ? "" : s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;

/** Every resource with its state, address, restarts and its console lines; services restart from here. */
export function Resources() {
  const resources = useLoad((signal) => get<Resource[]>("/api/resources", signal), []);
  const [selected, setSelected] = useState<string | null>(null);
  const logs = useLoad((signal) => (selected ? get<LogLine[]>(`/api/resources/${selected}/logs?count=300`, signal) : Promise.resolve([])), [selected]);
  usePoll(() => {
    resources.reload();
    if (selected) logs.reload();
  }, 1500, true);
  const gateway = resources.data?.find((r) => r.name === "gateway")?.url;
  const restart = async (name: string) => {
    await fetch(`/api/resources/${name}/restart`, { method: "POST" });
    resources.reload();
  };
  const healthy = resources.data?.filter((r) => r.state === "Healthy").length ?? 0;
  return (
    <>
      <PageHeader title="Resources">
        {gateway && (
          <>
            <a href={new URL("/console", gateway).href} target="_blank" rel="noreferrer">Staff console</a>
            <a href={new URL("/portal", gateway).href} target="_blank" rel="noreferrer">Customer portal</a>
            <a href={new URL("/docs", gateway).href} target="_blank" rel="noreferrer">API docs</a>
          </>
        )}
      </PageHeader>
      {resources.error !== undefined && <ErrorMessage error={resources.error} retry={resources.reload} />}
      {resources.data && (
        <p className="muted" role="status">{healthy} of {resources.data.length} healthy</p>
      )}
      <Table
        caption="Resources"
        rows={resources.data ?? []}
        rowKey={(r) => r.name}
        columns={[
          { header: "Resource", cell: (r) => <button type="button" className="button link" aria-pressed={selected === r.name} onClick={() => setSelected(r.name)}>{r.name}</button> },
          { header: "Kind", cell: (r) => r.kind },
          { header: "State", cell: (r) => <span className={`state state-${r.state.toLowerCase()}`} title={r.detail ?? ""}>{r.state}</span> },
          { header: "Address", cell: (r) => (r.url?.startsWith("http") ? <a href={r.url} target="_blank" rel="noreferrer">{r.url}</a> : r.url ?? "") },
          { header: "Pid", cell: (r) => r.pid ?? "", numeric: true },
          { header: "Restarts", cell: (r) => r.restarts, numeric: true },
          { header: "Uptime", cell: (r) => uptime(r.uptimeSeconds) },
          { header: "Actions", cell: (r) => (r.kind === "project" ? <button type="button" className="button" onClick={() => restart(r.name)}>Restart {r.name}</button> : null) },
        ]}
      />
      {selected && (
        <section className="card" aria-labelledby="console-title">
          <h2 id="console-title">Console lines of {selected}</h2>
          <pre className="console" tabIndex={0}>
            {(logs.data ?? []).map((l, i) => (
              <div key={i} className={l.error ? "err" : undefined}>{l.at.substring(11, 23)} {l.text}</div>
            ))}
          </pre>
        </section>
      )}
    </>
  );
}
