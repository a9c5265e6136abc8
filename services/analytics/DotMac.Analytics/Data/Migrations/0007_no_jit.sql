-- The figures' statements are estimated expensive over a large tenant, so PostgreSQL JIT-compiles them on every call:
-- measured at 100,000 subscribers (bench/run analytics), compiling was 2.4 s of collections' 3.2 s. They run in tens
-- of milliseconds interpreted; JIT off for analytics' database (new connections).
do $$ begin execute format('alter database %I set jit = off', current_database()); end $$;
