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
  const tenants = useLoad((signal) => api.get<{ items: Tenant[] }>("/api/v1/platform/tenants", { limit: 200 }, signal), []);
  return (
    <span className="tenant-picker">
      <label htmlFor={id} className="visually-hidden">Tenant</label>
      <select id={id} value={tenant ?? ""} onChange={(e) => session.actAsTenant(e.target.value || null)}>
        <option value="">No tenant (platform)</option>
        {(tenants.data?.items ?? []).map((t) => (
          <option key={t.id} value={t.id}>{t.name}</option>
        ))}
      </select>
    </span>
  );
}
