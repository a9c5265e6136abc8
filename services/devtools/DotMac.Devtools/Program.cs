using DotMac.Devtools.Catalog;
using DotMac.Devtools.Extensions;
using DotMac.Devtools.Seed;
using DotMac.ServiceDefaults;

// Commands for developers (`dotnet run --project services/devtools/DotMac.Devtools -- <command>`); else the service.
if (args is ["catalog", ..])
    return CatalogCommand.Run(args[1..]);
if (args is ["seed", ..])
    return await SeedCommand.RunAsync(args[1..]);

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapApplicationEndpoints();
app.Run();
return 0;
