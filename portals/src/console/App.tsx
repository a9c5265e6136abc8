import { Navigate, Route, Routes } from "react-router";
import { useApi, useClaims, useServices, useTenant } from "../shared/app";
import { useLoad } from "../shared/ui/hooks";
import { can, isPlatformStaff, type Claims } from "../shared/claims";
import { ErrorBoundary } from "../shared/ui/ErrorBoundary";
import { Shell, type NavItem } from "../shared/ui/Shell";
import { Login } from "./Login";
import { TenantPicker } from "./TenantPicker";
import { Home } from "./pages/Home";
import { Customers, CustomerDetail } from "./pages/Customers";
import { Plans } from "./pages/Plans";
import { Orders, OrderDetail } from "./pages/Orders";
import { Services } from "./pages/Services";
import { Ipam } from "./pages/Ipam";
import { Invoices, InvoiceDetail } from "./pages/Billing";
import { Users } from "./pages/Users";
import { Tenants } from "./pages/Tenants";
import { Forbidden } from "./pages/Forbidden";
import { Devices } from "./pages/Devices";
import { Analytics } from "./pages/Analytics";
import { Ops } from "./pages/Ops";
import { Events } from "./pages/Events";
import { Clients } from "./pages/Clients";

interface PageDef extends NavItem {
  resource: string;
  element: React.ReactNode;
  path: string;
  needsTenant?: boolean;
  platformOnly?: boolean; // ops: the gateway lets platform staff only
}

// Each page with the permission it needs; the navigation shows only what the token allows, and a page forced by its
// address says so instead of calling the API (which would refuse anyway).
const pages: PageDef[] = [
  { to: "/tenants", path: "tenants", label: "Tenants", resource: "tenants", element: <Tenants /> },
  { to: "/customers", path: "customers", label: "Customers", resource: "customers", element: <Customers />, needsTenant: true },
  { to: "/plans", path: "plans", label: "Plans", resource: "services", element: <Plans />, needsTenant: true },
  { to: "/orders", path: "orders", label: "Orders", resource: "services", element: <Orders />, needsTenant: true },
  { to: "/services", path: "services", label: "Services", resource: "services", element: <Services />, needsTenant: true },
  { to: "/ipam", path: "ipam", label: "IPAM", resource: "network", element: <Ipam />, needsTenant: true },
  { to: "/invoices", path: "invoices", label: "Invoices", resource: "billing", element: <Invoices />, needsTenant: true },
  { to: "/devices", path: "devices", label: "Devices", resource: "network", element: <Devices />, needsTenant: true },
  { to: "/analytics", path: "analytics", label: "Analytics", resource: "analytics", element: <Analytics />, needsTenant: true },
  { to: "/events", path: "events", label: "Events and webhooks", resource: "events", element: <Events />, needsTenant: true },
  { to: "/users", path: "users", label: "Users", resource: "users", element: <Users />, needsTenant: true },
  { to: "/clients", path: "clients", label: "API clients", resource: "clients", element: <Clients />, needsTenant: true },
  { to: "/ops", path: "ops", label: "Operations", resource: "*", element: <Ops />, platformOnly: true },
];

function allowed(claims: Claims, page: PageDef, tenant: string | null): boolean {
  if (page.platformOnly) return isPlatformStaff(claims);
  if (!can(claims, page.resource, "read")) return false;
  return !page.needsTenant || tenant !== null;
}

export function App() {
  const { session } = useServices();
  const claims = useClaims();
  const tenant = useTenant();
  const api = useApi();
  const subject = claims?.subject;
  const me = useLoad((signal) => subject
    ? api.get<{ displayName: string; email: string }>("/api/v1/identity/users/me", undefined, signal).catch(() => null)
    : Promise.resolve(null), [subject]);
  if (!claims) return <Login />;
  const visible = pages.filter((p) => allowed(claims, p, tenant));
  const guard = (page: PageDef) => (visible.includes(page) ? page.element : <Forbidden what={page.label} />);
  return (
    <Shell product="DotMac console" nav={[{ to: "/", label: "Overview" }, ...visible]} user={me.data?.displayName ?? me.data?.email ?? "Signed in"}
      onLogout={() => session.end()} extra={isPlatformStaff(claims) ? <TenantPicker /> : undefined}>
      <ErrorBoundary>
        <Routes>
          <Route index element={<Home />} />
          {pages.map((p) => <Route key={p.path} path={p.path} element={guard(p)} />)}
          <Route path="customers/:id" element={visible.some((p) => p.path === "customers") ? <CustomerDetail /> : <Forbidden what="Customers" />} />
          <Route path="orders/:id" element={visible.some((p) => p.path === "orders") ? <OrderDetail /> : <Forbidden what="Orders" />} />
          <Route path="invoices/:id" element={visible.some((p) => p.path === "invoices") ? <InvoiceDetail /> : <Forbidden what="Invoices" />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </ErrorBoundary>
    </Shell>
  );
}
