using AspireResilience.Backend.Apis;
using AspireResilience.Backend.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddBackendServices();

var app = builder.Build();

// The chat page (wwwroot) at "/": the dashboard's Backend link opens it.
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseWebSockets();
app.UseRateLimiter(); // per-address handshake limit (Connections section); after UseWebSockets, which marks upgrades
app.MapGatewayApi();
app.MapAdminApi();
app.MapSignInApi();
app.MapDefaultEndpoints();

app.Run();
