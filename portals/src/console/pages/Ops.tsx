import { useState } from "react";
import { useApi } from "../../shared/app";
import { dateTime } from "../../shared/format";
import { describe } from "../../shared/problem";
import { Select } from "../../shared/ui/Form";
import { Alert, ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";
import { Pager, Table } from "../../shared/ui/Table";
import type { OffsetPage } from "../model";

interface Queue { queue: string; count: number; oldest: string; newest: string }
interface DeadLetter {
  id: string; queue: string; inputQueue: string; messageId: string | null; messageTypes: string[]; exceptionType: string | null;
  exception: string | null; faultedAt: string | null; collectedAt: string; status: string; resolvedAt: string | null; body?: string | null; headers?: string | null;
}
interface Scheduled { tokenId: string; scheduleId: string | null; destination: string; messageTypes: string[]; dueAt: string; cron: string | null; paused: boolean; firedCount: number }

const limit = 25;
const shortType = (urn: string) => urn.replace(/^urn:message:/, "").split(":").pop() ?? urn;

/** Platform staff: messages that failed every retry (inspect, replay to their queue, discard) and what is scheduled. */
export function Ops() {
  const api = useApi();
  const [queue, setQueue] = useState("");
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<DeadLetter | null>(null);
  const [message, setMessage] = useState<{ kind: "success" | "error"; text: string } | null>(null);
  const [scheduledOffset, setScheduledOffset] = useState(0);
  const queues = useLoad((signal) => api.get<Queue[]>("/api/v1/ops/dead-letters/queues", undefined, signal), []);
  const letters = useLoad((signal) => api.get<OffsetPage<DeadLetter>>("/api/v1/ops/dead-letters", { queue, limit, offset }, signal), [queue, offset]);
  const scheduled = useLoad((signal) => api.get<OffsetPage<Scheduled>>("/api/v1/ops/scheduled-messages", { limit, offset: scheduledOffset }, signal), [scheduledOffset]);

  async function inspect(letter: DeadLetter) {
    try {
      setOpen(await api.get<DeadLetter>(`/api/v1/ops/dead-letters/${letter.id}`));
    } catch (error) {
      setMessage({ kind: "error", text: describe(error) });
    }
  }

  async function resolve(letter: DeadLetter, action: "replay" | "discard") {
    if (action === "discard" && !window.confirm("Discard this message? It will not be delivered.")) return;
    try {
      if (action === "replay") await api.post(`/api/v1/ops/dead-letters/${letter.id}/replay`);
      else await api.delete(`/api/v1/ops/dead-letters/${letter.id}`);
      setMessage({ kind: "success", text: `${shortType(letter.messageTypes[0] ?? "message")} ${action === "replay" ? `replayed to ${letter.inputQueue}` : "discarded"}.` });
      setOpen(null);
      letters.reload();
      queues.reload();
    } catch (error) {
      setMessage({ kind: "error", text: describe(error) });
    }
  }

  return (
    <>
      <PageHeader title="Operations" />
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <Section title="Dead letters">
        <div className="toolbar">
          <Select label="Queue" name="queue" value={queue} onChange={(v) => { setQueue(v); setOffset(0); }}
            options={[{ value: "", label: "All queues" }, ...(queues.data ?? []).map((q) => ({ value: q.queue, label: `${q.queue} (${q.count})` }))]} />
        </div>
        {letters.error ? <ErrorMessage error={letters.error} retry={letters.reload} /> : !letters.data ? <Loading /> : (
          <>
            <Table<DeadLetter> caption="Dead letters" rows={letters.data.items} rowKey={(d) => d.id} empty="No dead letters: every message was handled." columns={[
              { header: "Message", cell: (d) => <button type="button" className="button link" onClick={() => inspect(d)}>{shortType(d.messageTypes[0] ?? "?")}</button> },
              { header: "Queue", cell: (d) => d.inputQueue },
              { header: "Error", cell: (d) => d.exceptionType ?? "—" },
              { header: "Failed", cell: (d) => dateTime(d.faultedAt ?? d.collectedAt) },
              { header: "Actions", cell: (d) => (
                <div className="page-actions">
                  <button type="button" className="button" onClick={() => resolve(d, "replay")}>Replay</button>
                  <button type="button" className="button danger" onClick={() => resolve(d, "discard")}>Discard</button>
                </div>
              ) },
            ]} />
            <Pager total={letters.data.total} limit={limit} offset={offset} onOffset={setOffset} />
          </>
        )}
      </Section>
      {open && (
        <Section title={`Dead letter ${open.messageId ?? open.id}`}>
          <dl className="facts">
            <dt>Types</dt><dd>{open.messageTypes.join(", ")}</dd>
            <dt>Status</dt><dd><Status value={open.status} /></dd>
            <dt>Exception</dt><dd>{open.exceptionType}: {open.exception}</dd>
          </dl>
          <h3>Body</h3>
          <pre className="payload">{decode(open.body)}</pre>
          <h3>Headers</h3>
          <pre className="payload">{pretty(open.headers)}</pre>
        </Section>
      )}
      <Section title="Scheduled messages">
        {scheduled.error ? <ErrorMessage error={scheduled.error} retry={scheduled.reload} /> : !scheduled.data ? <Loading /> : (
          <>
            <Table<Scheduled> caption="Scheduled messages" rows={scheduled.data.items} rowKey={(s) => s.tokenId} empty="Nothing scheduled." columns={[
              { header: "Message", cell: (s) => shortType(s.messageTypes[0] ?? "?") },
              { header: "To", cell: (s) => s.destination.replace(/^.*\//, "") },
              { header: "Due", cell: (s) => dateTime(s.dueAt) },
              { header: "Recurring", cell: (s) => s.cron ?? "once" },
              { header: "Fired", numeric: true, cell: (s) => s.firedCount },
              { header: "State", cell: (s) => (s.paused ? "paused" : "waiting") },
            ]} />
            <Pager total={scheduled.data.total} limit={limit} offset={scheduledOffset} onOffset={setScheduledOffset} />
          </>
        )}
      </Section>
    </>
  );
}

function decode(body: string | null | undefined): string {
  if (!body) return "(empty)";
  try {
    const text = new TextDecoder().decode(Uint8Array.from(atob(body), (c) => c.charCodeAt(0)));
    return pretty(text);
  } catch {
    return body;
  }
}

function pretty(text: string | null | undefined): string {
  if (!text) return "(none)";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
