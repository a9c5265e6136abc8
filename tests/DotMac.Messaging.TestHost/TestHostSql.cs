namespace DotMac.Messaging.TestHost;

public static class TestHostSql
{
    public const string InsertWidget = "insert into widgets (id, batch) values (@id, @batch)";

    public const string RecordEffect = "insert into effects (kind, subject, message_id) values (@kind, @subject, @messageId)";

    public const string IsCured = "select exists (select 1 from cures where id = @id)";
}
