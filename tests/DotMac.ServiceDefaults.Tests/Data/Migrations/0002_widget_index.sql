create index widgets_tenant_idx on widgets (tenant_id);
