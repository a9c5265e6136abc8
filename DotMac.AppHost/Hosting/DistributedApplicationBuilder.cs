using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace DotMac.AppHost.Hosting;

/// <summary>
/// Aspire's AppHost programming model for the resources DotMac needs (Aspire's hosting packages are not available
/// here): the same calls, the same environment conventions, so the services would run unchanged under real Aspire.
/// </summary>
public sealed class DistributedApplicationBuilder
{
    readonly List<IResource> _resources = [];
    readonly IReadOnlyList<FleetProjectAttribute> _fleet = FleetProjectAttribute.All();

    DistributedApplicationBuilder(string[] args)
    {
        Configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
    }

    public IConfiguration Configuration { get; }
    public IReadOnlyList<IResource> Resources => _resources;

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args);

    public ResourceBuilder<PostgresServerResource> AddPostgres(string name) => Add(new PostgresServerResource(name));

    public ResourceBuilder<RabbitMqServerResource> AddRabbitMQ(string name) => Add(new RabbitMqServerResource(name));

    public ResourceBuilder<ProjectResource> AddProject<TProject>(string name) where TProject : IProjectMetadata, new()
    {
        var projectName = new TProject().ProjectName;
        var project = _fleet.FirstOrDefault(p => p.ProjectName == projectName)
            ?? throw new InvalidOperationException($"{projectName} is not a fleet project: add a ProjectReference with FleetProject=\"true\" to DotMac.AppHost.csproj.");
        return Add(new ProjectResource(name, project));
    }

    public DistributedApplication Build()
    {
        var projects = _resources.OfType<ProjectResource>().ToList();
        var missing = projects.Where(p => p.Port == 0).Select(p => p.Name).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"No port for {string.Join(", ", missing)}: call WithHttpEndpoint(port).");
        var clash = projects.GroupBy(p => p.Port).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new InvalidOperationException($"{string.Join(" and ", clash.Select(p => p.Name))} both want port {clash.Key}.");
        return new DistributedApplication(this);
    }

    internal int ResolvePort(string name, int defaultPort)
    {
        var offset = int.TryParse(Configuration["Ports:Offset"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var o) ? o : 0;
        return int.TryParse(Configuration[$"Ports:{name}"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var explicitPort)
            ? explicitPort
            : defaultPort + offset;
    }

    ResourceBuilder<T> Add<T>(T resource) where T : IResource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists.");
        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }
}
