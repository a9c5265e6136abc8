/** The AppHost dashboard's own JSON API (same origin, loopback, no login). */
export async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { signal, headers: { Accept: "application/json" } });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const problem = await response.json();
      detail = problem.detail ?? problem.title ?? detail;
    } catch {
      // not JSON: keep the status line
    }
    throw new Error(detail);
  }
  return (await response.json()) as T;
}

export function query(values: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && String(value).trim() !== "") params.set(key, String(value).trim());
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export interface Attr { key: string; value: string }

export interface Resource {
  name: string; kind: string; state: string; detail?: string; url?: string; pid?: number; restarts: number; uptimeSeconds?: number;
}

export interface LogLine { at: string; text: string; error: boolean }

export interface TraceSummary {
  traceId: string; rootService: string; rootName: string; startUnixNano: number; durationMs: number; status: string;
  spanCount: number; services: string[];
}

export interface SpanRecord {
  traceId: string; spanId: string; parentSpanId: string | null; service: string; scope: string; name: string; kind: string;
  startUnixNano: number; endUnixNano: number; status: string; statusMessage: string | null; attributes: Attr[];
  events: { timeUnixNano: number; name: string; attributes: Attr[] }[];
  links: { traceId: string; spanId: string; attributes: Attr[] }[];
  durationMs: number;
}

export interface LogRecord {
  sequence: number; timeUnixNano: number; service: string; level: string; severity: number; category: string; message: string;
  attributes: Attr[]; traceId: string | null; spanId: string | null;
}

export interface TraceDetail { summary: TraceSummary; spans: SpanRecord[]; logs: LogRecord[] }

export interface Stats {
  spansHeld: number; spansReceived: number; spansDropped: number; spanCapacity: number; traces: number;
  logsHeld: number; logsReceived: number; logsDropped: number; logCapacity: number;
  metricSeries: number; metricPoints: number; metricSeriesRefused: number; seriesCapacity: number; services: string[];
}

export interface Instrument { service: string; name: string; unit: string; description: string; type: string; series: number; keys: string[] }

export interface ChartLine { label: string; points: [number, number][] }

export interface MetricChart { name: string; unit: string; type: string; description: string; lines: ChartLine[]; quantiles: ChartLine[] }

/** Nanoseconds since the epoch (JSON numbers lose the last digits, which is fine for display) to a local time. */
export function time(unixNano: number): string {
  const d = new Date(unixNano / 1e6);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

export function duration(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

const palette = ["#1f6feb", "#8250df", "#bf3989", "#cf222e", "#bc4c00", "#4d2d00", "#116329", "#0a3069", "#6e7781", "#953800"];

/** A stable colour per service name, so a service looks the same on every page. */
export function colour(service: string): string {
  let hash = 0;
  for (const c of service) hash = (hash * 31 + c.charCodeAt(0)) | 0;
  return palette[Math.abs(hash) % palette.length] ?? "#1f6feb";
}
