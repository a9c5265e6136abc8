using DotMac.AppHost.Infrastructure;

namespace DotMac.AppHost.Hosting;

public interface IResource
{
    string Name { get; }
    ResourceStatus Status { get; }
}

/// <summary>A resource others reference by connection string: ConnectionStrings__{Name}.</summary>
public interface IResourceWithConnectionString : IResource
{
    string ConnectionString { get; }
}

public sealed class PostgresServerResource(string name) : IResourceWithConnectionString
{
    public string Name { get; } = name;
    public ResourceStatus Status { get; } = new(name, "postgres");
    public List<PostgresDatabaseResource> Databases { get; } = [];
    public PostgresServer? Server { get; internal set; }
    public string ConnectionString => Server?.ConnectionString ?? throw new InvalidOperationException($"{Name} has not started.");
}

public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent) : IResourceWithConnectionString
{
    public string Name { get; } = name;
    public string DatabaseName { get; } = databaseName;
    public PostgresServerResource Parent { get; } = parent;
    public ResourceStatus Status => Parent.Status;
    public string ConnectionString => Parent.Server?.ConnectionStringFor(DatabaseName) ?? throw new InvalidOperationException($"{Parent.Name} has not started.");
}

public sealed class RabbitMqServerResource(string name) : IResourceWithConnectionString
{
    public string Name { get; } = name;
    public ResourceStatus Status { get; } = new(name, "rabbitmq");
    public RabbitMqServer? Server { get; internal set; }
    public string ConnectionString => Server?.ConnectionString ?? throw new InvalidOperationException($"{Name} has not started.");
}

/// <summary>A .NET project of the fleet, run from its build output with the Aspire environment conventions.</summary>
public sealed class ProjectResource(string name, FleetProjectAttribute project) : IResource
{
    public string Name { get; } = name;
    public ResourceStatus Status { get; } = new(name, "project");
    public FleetProjectAttribute Project { get; } = project;
    public int Port { get; internal set; }
    public bool External { get; internal set; }
    public Uri Url => new($"http://localhost:{Port}");
    public Uri InternalUrl => new($"http://127.0.0.1:{Port}");
    public Dictionary<string, Func<string>> Environment { get; } = new(StringComparer.Ordinal);
    public List<IResource> WaitsFor { get; } = [];
}
