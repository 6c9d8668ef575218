using System.Diagnostics;
using AspireResilience.Backend.Gateway;
using AspireResilience.Backend.Telemetry;
using AspireResilience.Contracts;
using Microsoft.Extensions.Options;

namespace AspireResilience.Backend.Apis;

/// <summary>
/// The test bench's faults that only the process itself can make (the dashboard's "Drop all
/// connections"). Not mapped unless <see cref="GatewayOptions.EnableAdminApi"/>, so production
/// answers a plain 404; and answered only to loopback callers, as the AppHost is.
/// </summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value.EnableAdminApi)
        {
            app.MapPost(BackendAdminApi.DropConnectionsPath, DropConnections);
            app.MapGet(BackendAdminApi.MemoryPath, Memory);
        }
        return app;
    }

    private static IResult DropConnections(HttpContext context, ConnectionRegistry registry)
    {
        if (context.Connection.RemoteIpAddress is not { } caller || !System.Net.IPAddress.IsLoopback(caller))
        {
            return Results.NotFound();
        }
        // The fault's own timestamp: recovery is measured from this span's start.
        using var activity = BackendTelemetry.Source.StartActivity(SpanNames.AdminDropConnections, ActivityKind.Server);
        var dropped = 0;
        foreach (var connection in registry.All)
        {
            connection.Drop();
            dropped++;
        }
        activity?.SetTag(SpanAttributes.AdminDroppedCount, dropped);
        return Results.Json(new { dropped });
    }

    private static IResult Memory(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } caller || !System.Net.IPAddress.IsLoopback(caller))
        {
            return Results.NotFound();
        }
        // Garbage would be counted as per-session cost: collect everything collectable first.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var live = GC.GetTotalMemory(forceFullCollection: true);
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        return Results.Json(new BackendMemory(live, info.HeapSizeBytes, info.TotalCommittedBytes, Environment.WorkingSet));
    }
}
