using DotMac.AppHost.Hosting;

// The whole fleet, one command: `dotnet run --project DotMac.AppHost`.
// Infrastructure (PostgreSQL, RabbitMQ) is reused, started or installed as needed; every service gets its own
// database and the Aspire environment conventions; the gateway starts once every service is healthy.
var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var messaging = builder.AddRabbitMQ("messaging");

ResourceBuilder<ProjectResource> Service<TProject>(string name, int port) where TProject : IProjectMetadata, new()
{
    var database = postgres.AddDatabase($"{name}-db");
    return builder.AddProject<TProject>(name)
        .WithHttpEndpoint(port)
        .WithReference(database).WaitFor(database)
        .WithReference(messaging).WaitFor(messaging);
}

var platform = Service<Projects.DotMac_Platform>("platform", 5101);
var identity = Service<Projects.DotMac_Identity>("identity", 5102).WithReference(platform);
platform.WithReference(identity); // identity's JWKS, to validate tokens (fetched on first use, so no WaitFor)
var services = Service<Projects.DotMac_Services>("services", 5103).WithReference(identity);
var networking = Service<Projects.DotMac_Networking>("networking", 5104).WithReference(identity);
var billing = Service<Projects.DotMac_Billing>("billing", 5105).WithReference(identity).WithReference(platform);
var events = Service<Projects.DotMac_Events>("events", 5107).WithReference(identity).WithReference(platform); // platform: feature flags
var analytics = Service<Projects.DotMac_Analytics>("analytics", 5106).WithReference(identity).WithReference(events); // events: the history it rebuilds from
var ops = Service<Projects.DotMac_Ops>("ops", 5108).WithManagementReference(messaging);
var devtools = Service<Projects.DotMac_Devtools>("devtools", 5109)
    .WithReference(platform).WithReference(identity).WithReference(services).WithReference(billing);

var gateway = builder.AddProject<Projects.DotMac_Gateway>("gateway")
    .WithHttpEndpoint(5000)
    .WithExternalHttpEndpoints();
devtools.WithEnvironment("Devtools__GatewayUrl", gateway.Resource.InternalUrl.ToString()); // its seed API calls the fleet as a partner would
foreach (var service in new[] { platform, identity, services, networking, billing, analytics, events, ops, devtools })
    gateway.WithReference(service).WaitFor(service);

builder.Build().Run();
