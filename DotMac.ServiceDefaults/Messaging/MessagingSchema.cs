using DotMac.ServiceDefaults.Data;

namespace DotMac.ServiceDefaults.Messaging;

/// <summary>The shared messaging tables (outbox, inbox, saga instances) every service database carries.</summary>
public static class MessagingSchema
{
    public const string Schema = "messaging";

    public static MigrationTrack Track { get; } = MigrationTrack.Shared(Schema, Migration.FromAssembly(typeof(MessagingSchema).Assembly));
}
