import { useId } from "react";
import { useApi, useServices, useTenant } from "../shared/app";
import { useLoad } from "../shared/ui/hooks";

interface Tenant { id: string; slug: string; name: string; status: string }

/** Platform staff act for one tenant at a time (X-Tenant-Id on every call), or for none (platform pages only). */
export function TenantPicker() {
  const api = useApi();
  const { session } = useServices();
  const tenant = useTenant();
  const id = useId();
  // Every tenant, page by page (keyset), up to a few thousand: enough for a select; beyond that a search would be needed.
  const tenants = useLoad(async (signal) => {
    const items: Tenant[] = [];
    let after: string | null = null;
    do {
      const page: { items: Tenant[]; next: string | null } = await api.get("/api/v1/platform/tenants", { limit: 500, after }, signal);
      items.push(...page.items);
      after = page.next;
    } while (after && items.length < 5000);
    return { items: items.sort((a, b) => a.name.localeCompare(b.name)) };
  }, []);
  return (
    <span className="tenant-picker">
      <label htmlFor={id} className="visually-hidden">Tenant</label>
      <select id={id} value={tenant ?? ""} onChange={(e) => session.actAsTenant(e.target.value || null)}>
        <option value="">No tenant (platform)</option>
        {(tenants.data?.items ?? []).map((t) => (
          <option key={t.id} value={t.id}>{t.name} ({t.slug})</option>
        ))}
      </select>
    </span>
  );
}
