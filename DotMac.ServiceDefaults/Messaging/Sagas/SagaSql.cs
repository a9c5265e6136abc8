namespace DotMac.ServiceDefaults.Messaging.Sagas;

internal static class SagaSql
{
    public const string Load = """
        select data::text as Data, version as Version from messaging.saga_instance
        where saga_type = @sagaType and correlation_id = @correlationId
        """;

    // A concurrent creator of the same instance wins; this one retries and loads it.
    public const string Insert = """
        insert into messaging.saga_instance (saga_type, correlation_id, current_state, data, version)
        values (@sagaType, @correlationId, @currentState, @data::jsonb, 1)
        on conflict (saga_type, correlation_id) do nothing
        """;

    public const string Update = """
        update messaging.saga_instance
        set data = @data::jsonb, current_state = @currentState, version = version + 1, updated_at = clock_timestamp()
        where saga_type = @sagaType and correlation_id = @correlationId and version = @version
        """;

    public const string Delete = """
        delete from messaging.saga_instance where saga_type = @sagaType and correlation_id = @correlationId and version = @version
        """;
}
