import { useEffect, useState } from "react";
import { get, type Stats } from "./api";

/** What the receiver holds and what it had to drop (oldest first) to stay within its caps. */
export function StatsLine() {
  const [stats, setStats] = useState<Stats | null>(null);
  useEffect(() => {
    let stop = false;
    const tick = () => get<Stats>("/api/telemetry/stats").then((s) => !stop && setStats(s), () => undefined);
    tick();
    const id = setInterval(tick, 3000);
    return () => {
      stop = true;
      clearInterval(id);
    };
  }, []);
  if (!stats) return null;
  const n = (v: number) => v.toLocaleString();
  return (
    <span className="stats-line" data-testid="telemetry-stats">
      {n(stats.spansHeld)}/{n(stats.spanCapacity)} spans · {n(stats.logsHeld)}/{n(stats.logCapacity)} logs · {n(stats.metricSeries)} series
      {stats.spansDropped + stats.logsDropped + stats.metricSeriesRefused > 0 && (
        <span className="dropped" title="Dropped oldest first to stay within the caps (Telemetry:MaxSpans, MaxLogs, MaxSeries)">
          {" "}· dropped {n(stats.spansDropped)} spans, {n(stats.logsDropped)} logs, {n(stats.metricSeriesRefused)} series
        </span>
      )}
    </span>
  );
}
