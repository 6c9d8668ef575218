using AspireResilience.ChaosProxy.Apis;
using AspireResilience.ChaosProxy.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddChaosProxy();

var app = builder.Build();

app.MapProxyApi();
app.MapDefaultEndpoints();

app.Run();
