import { useState, type ReactNode } from "react";
import { NavLink } from "react-router";

export interface NavItem {
  to: string;
  label: string;
}

/** Header, a navigation that folds into a menu button at phone width, and the page. Skip link first for keyboards. */
export function Shell({ product, nav, user, onLogout, children, extra }: {
  product: string;
  nav: NavItem[];
  /** Absent on the AppHost's dashboard, which has no login. */
  user?: string;
  onLogout?: () => void;
  children: ReactNode;
  extra?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <button type="button" className="button menu-toggle" aria-expanded={open} aria-controls="nav" onClick={() => setOpen(!open)}>
          Menu
        </button>
        <span className="brand">{product}</span>
        <div className="topbar-end">
          {extra}
          {user && <span className="user" title={user}>{user}</span>}
          {onLogout && <button type="button" className="button" onClick={onLogout}>Log out</button>}
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
      <main id="main" tabIndex={-1}>{children}</main>
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={title.replace(/\W+/g, "-").toLowerCase()}>
      <h2 id={title.replace(/\W+/g, "-").toLowerCase()}>{title}</h2>
      {children}
    </section>
  );
}

/** The centred card of a login or password page. */
export function LoginCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="login">
      <div className="card">
        <h1>{title}</h1>
        {children}
      </div>
    </div>
  );
}
