using AspireResilience.AuthService.Apis;
using AspireResilience.AuthService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedisClient("redis");
builder.AddAuthServices();

builder.Services.AddTokenRateLimits();

var app = builder.Build();

app.UseRateLimiter();
app.MapTokenApi();
app.MapJwksApi();
app.MapDefaultEndpoints();

app.Run();
