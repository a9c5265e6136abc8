import { NavLink, Route, Routes } from "react-router";
import { Shell } from "../shared/ui/Shell";
import { Resources } from "./pages/Resources";
import { Traces } from "./pages/Traces";
import { TraceView } from "./pages/TraceView";
import { Logs } from "./pages/Logs";
import { Metrics } from "./pages/Metrics";
import { StatsLine } from "./StatsLine";

const nav = [
  { to: "/", label: "Resources" },
  { to: "/traces", label: "Traces" },
  { to: "/logs", label: "Structured logs" },
  { to: "/metrics", label: "Metrics" },
];

/** The AppHost's dashboard: the fleet's resources, and the traces, logs and metrics its services export over OTLP. */
export function App() {
  return (
    <Shell product="DotMac fleet" nav={nav} extra={<StatsLine />}>
      <Routes>
        <Route path="/" element={<Resources />} />
        <Route path="/resources" element={<Resources />} />
        <Route path="/traces" element={<Traces />} />
        <Route path="/traces/:traceId" element={<TraceView />} />
        <Route path="/logs" element={<Logs />} />
        <Route path="/metrics" element={<Metrics />} />
        <Route path="*" element={<p>No such page. <NavLink to="/">Resources</NavLink></p>} />
      </Routes>
    </Shell>
  );
}
