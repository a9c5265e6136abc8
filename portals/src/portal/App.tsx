import { Navigate, Route, Routes } from "react-router";
import { useClaims, useServices } from "../shared/app";
import { ErrorBoundary } from "../shared/ui/ErrorBoundary";
import { Shell } from "../shared/ui/Shell";
import { Login } from "./Login";
import { MyServices } from "./pages/MyServices";
import { MyInvoices, MyInvoice } from "./pages/MyInvoices";
import { MyPayments } from "./pages/MyPayments";
import { Profile } from "./pages/Profile";

export function App() {
  const { session } = useServices();
  const claims = useClaims();
  if (!claims) return <Login />;
  if (claims.kind !== "customer" || !claims.customerId)
    return (
      <div className="login"><div className="card" role="alert">
        <h1>Customer portal</h1>
        <p>This is the customers' portal; staff work in the <a href="/console">console</a>.</p>
        <button type="button" className="button" onClick={() => session.end()}>Log out</button>
      </div></div>
    );
  return (
    <Shell product="My DotMac" user="My account" onLogout={() => session.end()} nav={[
      { to: "/", label: "My services" },
      { to: "/invoices", label: "Invoices" },
      { to: "/payments", label: "Payments" },
      { to: "/profile", label: "Profile" },
    ]}>
      <ErrorBoundary>
        <Routes>
          <Route index element={<MyServices />} />
          <Route path="invoices" element={<MyInvoices />} />
          <Route path="invoices/:id" element={<MyInvoice />} />
          <Route path="payments" element={<MyPayments />} />
          <Route path="profile" element={<Profile />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </ErrorBoundary>
    </Shell>
  );
}
