import { useApi } from "../../shared/app";
import { dateTime, money } from "../../shared/format";
import { ErrorMessage, Loading, Status } from "../../shared/ui/Feedback";
import { useLoad } from "../../shared/ui/hooks";
import { PageHeader } from "../../shared/ui/Shell";
import { Table } from "../../shared/ui/Table";
import type { OffsetPage, Service } from "../../console/model";

interface Subscription { id: string; serviceId: string; planName: string; price: number; currency: string; billingPeriod: string; status: string; suspended: boolean }

export function MyServices() {
  const api = useApi();
  const services = useLoad((signal) => api.get<OffsetPage<Service>>("/api/v1/services/services", { limit: 100 }, signal), []);
  const subscriptions = useLoad((signal) => api.get<OffsetPage<Subscription>>("/api/v1/billing/subscriptions", { limit: 100 }, signal), []);
  const subscriptionOf = (s: Service) => subscriptions.data?.items.find((x) => x.serviceId === s.id);
  return (
    <>
      <PageHeader title="My services" />
      {services.error ? <ErrorMessage error={services.error} retry={services.reload} /> : !services.data ? <Loading /> : (
        <Table<Service> caption="My services" rows={services.data.items} rowKey={(s) => s.id} empty="You have no services yet." columns={[
          { header: "Service", cell: (s) => subscriptionOf(s)?.planName ?? s.username },
          { header: "Login", cell: (s) => s.username },
          { header: "Status", cell: (s) => <Status value={s.status} /> },
          { header: "Address", cell: (s) => s.address ?? "—" },
          { header: "Price", numeric: true, cell: (s) => { const x = subscriptionOf(s); return x ? `${money(x.price, x.currency)} / ${x.billingPeriod}` : "—"; } },
          { header: "Since", cell: (s) => dateTime(s.activatedAt) },
        ]} />
      )}
    </>
  );
}
