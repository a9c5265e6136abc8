import { useApi } from "../../shared/app";
import { ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader, Section } from "../../shared/ui/Shell";
import type { Customer } from "../../console/model";

export function Profile() {
  const api = useApi();
  const me = useLoad((signal) => api.get<Customer>("/api/v1/identity/customers/me", undefined, signal), []);
  if (me.error) return <ErrorMessage error={me.error} retry={me.reload} />;
  if (!me.data) return <Loading />;
  const c = me.data;
  return (
    <>
      <PageHeader title="My profile" />
      <Section title="Contact details">
        <dl className="facts">
          <dt>Name</dt><dd>{c.name}</dd>
          <dt>Email</dt><dd>{c.email}</dd>
          <dt>Phone</dt><dd>{c.phone ?? "—"}</dd>
          <dt>Address</dt><dd>{c.address ? [c.address.line1, c.address.line2, `${c.address.postalCode} ${c.address.city}`, c.address.country].filter(Boolean).join(", ") : "—"}</dd>
          <dt>Portal ID</dt><dd>{c.portalId}</dd>
          <dt>Account</dt><dd>{c.portalStatus ? <Status value={c.portalStatus} /> : "—"}</dd>
        </dl>
        <p className="hint">To change these details, contact your provider.</p>
      </Section>
    </>
  );
}
