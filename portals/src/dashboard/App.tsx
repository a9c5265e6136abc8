import { useState } from "react";
import { NavLink, Route, Routes } from "react-router";
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
  const [open, setOpen] = useState(false);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <button type="button" className="button menu-toggle" aria-expanded={open} aria-controls="nav" onClick={() => setOpen(!open)}>
          Menu
        </button>
        <span className="brand">DotMac fleet</span>
        <div className="topbar-end">
          <StatsLine />
        </div>
      </header>
      <nav id="nav" className={`sidenav${open ? " open" : ""}`} aria-label="Main">
        <ul>
          {nav.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.to === "/"} onClick={() => setOpen(false)}>{item.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<Resources />} />
          <Route path="/resources" element={<Resources />} />
          <Route path="/traces" element={<Traces />} />
          <Route path="/traces/:traceId" element={<TraceView />} />
          <Route path="/logs" element={<Logs />} />
          <Route path="/metrics" element={<Metrics />} />
          <Route path="*" element={<p>No such page. <NavLink to="/">Resources</NavLink></p>} />
        </Routes>
      </main>
    </div>
  );
}
