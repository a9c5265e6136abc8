-- The trace a scheduled message was scheduled in (W3C traceparent), so its delivery, later and in a trace of its
-- own, links back to where it came from (a saga step's timeout to its order's trace).
alter table scheduled_messages add column origin_trace_parent text;
