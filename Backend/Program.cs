using AspireResilience.Backend.Apis;
using AspireResilience.Backend.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddBackendServices();

var app = builder.Build();

app.UseWebSockets();
app.MapGatewayApi();
app.MapSignInApi();
app.MapDefaultEndpoints();

app.Run();
