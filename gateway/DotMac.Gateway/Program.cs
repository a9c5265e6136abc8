using DotMac.Gateway.Extensions;
using DotMac.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();
app.MapDefaultEndpoints(openApi: false);
app.MapGateway();
app.Run();
