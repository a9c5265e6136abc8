using DotMac.Ops.Apis;
using DotMac.Ops.Extensions;
using DotMac.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDeadLettersApi();
app.MapSchedulerApi();
app.Run();
