using AspireResilience.AuthService.Apis;
using AspireResilience.AuthService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedisClient("redis");
builder.AddAuthServices();

var app = builder.Build();

app.MapTokenApi();
app.MapJwksApi();
app.MapDefaultEndpoints();

app.Run();
