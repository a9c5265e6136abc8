-- Cheaper ingest, same reads. The bandwidth series looks one interface up over a time range: interface ids are
-- unique across tenants, so (interface_id, sampled_at) finds the same rows as the old three-column key with a
-- shorter one to maintain on every insert (the query still filters by tenant). Time-range scans (top-N, rollups)
-- get a BRIN index on sampled_at: rows arrive in time order, so it stays tiny and costs next to nothing to keep.
drop index interface_samples_lookup_idx;
create index interface_samples_interface_idx on interface_samples (interface_id, sampled_at);
create index interface_samples_time_idx on interface_samples using brin (sampled_at);
