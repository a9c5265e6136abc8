namespace DotMac.AppHost.Hosting;

/// <summary>The fluent surface of an Aspire AppHost, for the resources DotMac uses.</summary>
public sealed class ResourceBuilder<T>(DistributedApplicationBuilder application, T resource) where T : IResource
{
    public T Resource { get; } = resource;
    public DistributedApplicationBuilder ApplicationBuilder { get; } = application;
}

public static class ResourceBuilderExtensions
{
    public static ResourceBuilder<PostgresDatabaseResource> AddDatabase(this ResourceBuilder<PostgresServerResource> server, string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name.Replace("-db", "", StringComparison.Ordinal), server.Resource);
        server.Resource.Databases.Add(database);
        return new ResourceBuilder<PostgresDatabaseResource>(server.ApplicationBuilder, database);
    }

    /// <summary>Passes ConnectionStrings__{name} to the project.</summary>
    public static ResourceBuilder<ProjectResource> WithReference(this ResourceBuilder<ProjectResource> project, ResourceBuilder<PostgresDatabaseResource> source) =>
        project.WithConnectionString(source.Resource);

    public static ResourceBuilder<ProjectResource> WithReference(this ResourceBuilder<ProjectResource> project, ResourceBuilder<RabbitMqServerResource> source) =>
        project.WithConnectionString(source.Resource);

    /// <summary>Passes ConnectionStrings__{name}-management, RabbitMQ's management API (ops reads the _error queues through it).</summary>
    public static ResourceBuilder<ProjectResource> WithManagementReference(this ResourceBuilder<ProjectResource> project, ResourceBuilder<RabbitMqServerResource> source)
    {
        var server = source.Resource;
        project.Resource.Environment[$"ConnectionStrings__{server.Name}-management"] = () =>
            server.Server?.ManagementUri ?? throw new InvalidOperationException($"{server.Name} has not started.");
        return project;
    }

    /// <summary>Passes services__{name}__http__0, the peer's address, to the project.</summary>
    public static ResourceBuilder<ProjectResource> WithReference(this ResourceBuilder<ProjectResource> project, ResourceBuilder<ProjectResource> peer)
    {
        var target = peer.Resource;
        project.Resource.Environment[$"services__{target.Name}__http__0"] = () => target.InternalUrl.ToString().TrimEnd('/');
        return project;
    }

    static ResourceBuilder<ProjectResource> WithConnectionString(this ResourceBuilder<ProjectResource> project, IResourceWithConnectionString source)
    {
        project.Resource.Environment[$"ConnectionStrings__{source.Name}"] = () => source.ConnectionString;
        return project;
    }

    /// <summary>Starts the project only once <paramref name="dependency"/> is running and healthy.</summary>
    public static ResourceBuilder<ProjectResource> WaitFor<TDependency>(this ResourceBuilder<ProjectResource> project, ResourceBuilder<TDependency> dependency)
        where TDependency : IResource
    {
        project.Resource.WaitsFor.Add(dependency.Resource);
        return project;
    }

    /// <summary>The port the project listens on; "Ports:{name}" in configuration overrides it, "Ports:Offset" shifts all.</summary>
    public static ResourceBuilder<ProjectResource> WithHttpEndpoint(this ResourceBuilder<ProjectResource> project, int port)
    {
        project.Resource.Port = project.ApplicationBuilder.ResolvePort(project.Resource.Name, port);
        return project;
    }

    public static ResourceBuilder<ProjectResource> WithEnvironment(this ResourceBuilder<ProjectResource> project, string name, string value)
    {
        project.Resource.Environment[name] = () => value;
        return project;
    }

    /// <summary>Marks the project as the fleet's front door (shown first, the address users are given).</summary>
    public static ResourceBuilder<ProjectResource> WithExternalHttpEndpoints(this ResourceBuilder<ProjectResource> project)
    {
        project.Resource.External = true;
        return project;
    }
}
