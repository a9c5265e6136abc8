namespace DotMac.ServiceDefaults.Data;

/// <summary>PostgreSQL timestamptz values read by Dapper come as DateTime in UTC; the APIs answer DateTimeOffset.</summary>
public static class Times
{
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
