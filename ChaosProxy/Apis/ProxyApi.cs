using System.Net.Sockets;
using System.Text.Json;
using AspireResilience.ChaosProxy.Apis.Contracts;
using AspireResilience.ChaosProxy.Proxies;
using AspireResilience.ChaosProxy.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireResilience.ChaosProxy.Apis;

/// <summary>
/// The control API, in Toxiproxy's shapes: <c>/proxies</c>, <c>/proxies/{name}</c>,
/// <c>/proxies/{name}/toxics[/{toxic}]</c>, <c>/reset</c>, plus
/// <c>POST /proxies/{name}/connections/reset</c> (RST every open connection, keep listening).
/// Errors are <c>{"error":"..."}</c>. Every route is behind <see cref="ControlApiGuard"/>
/// (bearer token, no <c>Origin</c>, JSON bodies only).
/// </summary>
internal static class ProxyApi
{
    public static IEndpointRouteBuilder MapProxyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(string.Empty).AddEndpointFilter<ControlApiGuard>().AddEndpointFilter(TranslateFailuresAsync);

        api.MapGet("/proxies", (ProxyRegistry registry) =>
            TypedResults.Ok(registry.All.ToDictionary(p => p.Name, ProxyApiMapper.ToResponse, StringComparer.Ordinal)));
        api.MapPost("/proxies", CreateProxyAsync);
        api.MapGet("/proxies/{name}", (string name, ProxyRegistry registry) =>
            WithProxy(registry, name, proxy => TypedResults.Ok(ProxyApiMapper.ToResponse(proxy))));
        api.MapPost("/proxies/{name}", UpdateProxyAsync);
        api.MapDelete("/proxies/{name}", async (string name, ProxyRegistry registry) =>
            await registry.DeleteAsync(name) ? Results.NoContent() : ProxyNotFound(name));

        api.MapGet("/proxies/{name}/toxics", (string name, ProxyRegistry registry) =>
            WithProxy(registry, name, proxy => TypedResults.Ok(proxy.Toxics.All.Select(ProxyApiMapper.ToResponse).ToList())));
        api.MapPost("/proxies/{name}/toxics", AddToxicAsync);
        api.MapGet("/proxies/{name}/toxics/{toxic}", (string name, string toxic, ProxyRegistry registry) =>
            WithProxy(registry, name, proxy => proxy.Toxics.Find(toxic) is { } found
                ? TypedResults.Ok(ProxyApiMapper.ToResponse(found))
                : ToxicNotFound(toxic)));
        api.MapPost("/proxies/{name}/toxics/{toxic}", UpdateToxicAsync);
        api.MapDelete("/proxies/{name}/toxics/{toxic}", (string name, string toxic, ProxyRegistry registry) =>
            WithProxy(registry, name, proxy => proxy.TryRemoveToxic(toxic) ? Results.NoContent() : ToxicNotFound(toxic)));

        api.MapPost("/proxies/{name}/connections/reset", (string name, ProxyRegistry registry) =>
            WithProxy(registry, name, proxy =>
                TypedResults.Ok(new ConnectionsResetResponse(proxy.ResetConnections("connections reset through the API")))));
        api.MapPost("/reset", async (ProxyRegistry registry, CancellationToken cancellationToken) =>
        {
            using var activity = ChaosProxyTelemetry.StartOperation("reset", proxy: null);
            await registry.ResetAsync(cancellationToken);
            return Results.NoContent();
        });
        return app;
    }

    private static async Task<IResult> CreateProxyAsync(HttpRequest request, ProxyRegistry registry, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync<CreateProxyRequest>(request, cancellationToken);
        if (body is null)
        {
            return Error(StatusCodes.Status400BadRequest, "a JSON body {name, listen, upstream, enabled} is required");
        }

        if (!ProxyApiMapper.TryCreateDefinition(body, out var definition, out var error))
        {
            return Error(StatusCodes.Status400BadRequest, error);
        }

        var proxy = await registry.CreateAsync(definition, cancellationToken);
        return proxy is null
            ? Error(StatusCodes.Status409Conflict, $"proxy '{definition.Name}' already exists")
            : TypedResults.Created($"/proxies/{proxy.Name}", ProxyApiMapper.ToResponse(proxy));
    }

    private static async Task<IResult> UpdateProxyAsync(string name, HttpRequest request, ProxyRegistry registry, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(name, out var proxy))
        {
            return ProxyNotFound(name);
        }

        var body = await ReadBodyAsync<UpdateProxyRequest>(request, cancellationToken) ?? new UpdateProxyRequest(null, null, null);
        if (body.Listen is not null && body.Listen != proxy.Listen)
        {
            return Error(StatusCodes.Status400BadRequest, "listen cannot change; delete the proxy and create it again");
        }

        HostPort? upstream = null;
        if (body.Upstream is not null && !HostPort.TryParse(body.Upstream, out upstream, out var error))
        {
            return Error(StatusCodes.Status400BadRequest, "upstream: " + error);
        }

        if (upstream is not null)
        {
            proxy.SetUpstream(upstream);
        }

        if (body.Enabled is { } enabled)
        {
            await proxy.SetEnabledAsync(enabled, cancellationToken);
        }

        return TypedResults.Ok(ProxyApiMapper.ToResponse(proxy));
    }

    private static async Task<IResult> AddToxicAsync(string name, HttpRequest request, ProxyRegistry registry, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(name, out var proxy))
        {
            return ProxyNotFound(name);
        }

        var body = await ReadBodyAsync<ToxicRequest>(request, cancellationToken);
        if (body is null)
        {
            return Error(StatusCodes.Status400BadRequest, "a JSON body {name, type, stream, toxicity, attributes} is required");
        }

        if (!ProxyApiMapper.TryCreateToxic(body, existing: null, out var toxic, out var error))
        {
            return Error(StatusCodes.Status400BadRequest, error);
        }

        return proxy.TryAddToxic(toxic)
            ? TypedResults.Ok(ProxyApiMapper.ToResponse(toxic))
            : Error(StatusCodes.Status409Conflict, $"toxic '{toxic.Name}' already exists on proxy '{name}'");
    }

    private static async Task<IResult> UpdateToxicAsync(string name, string toxic, HttpRequest request, ProxyRegistry registry, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(name, out var proxy))
        {
            return ProxyNotFound(name);
        }

        if (proxy.Toxics.Find(toxic) is not { } existing)
        {
            return ToxicNotFound(toxic);
        }

        var body = await ReadBodyAsync<ToxicRequest>(request, cancellationToken) ?? new ToxicRequest(null, null, null, null, null);
        if (body.Name is not null && body.Name != toxic)
        {
            return Error(StatusCodes.Status400BadRequest, "a toxic cannot be renamed");
        }

        if (!ProxyApiMapper.TryCreateToxic(body, existing, out var replacement, out var error))
        {
            return Error(StatusCodes.Status400BadRequest, error);
        }

        return proxy.TryReplaceToxic(replacement) ? TypedResults.Ok(ProxyApiMapper.ToResponse(replacement)) : ToxicNotFound(toxic);
    }

    /// <summary>
    /// Reads a JSON body (<see cref="ControlApiGuard"/> has checked its content type); null when
    /// there is none. Bad JSON and oversized bodies surface as exceptions the filter translates.
    /// </summary>
    private static async Task<T?> ReadBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
        {
            return null;
        }

        return await JsonSerializer.DeserializeAsync<T>(request.Body, JsonSerializerOptions.Web, cancellationToken);
    }

    private static IResult WithProxy(ProxyRegistry registry, string name, Func<Proxy, IResult> action) =>
        registry.TryGet(name, out var proxy) ? action(proxy) : ProxyNotFound(name);

    private static async ValueTask<object?> TranslateFailuresAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Error(exception.StatusCode, "request body too large");
        }
        catch (BadHttpRequestException exception)
        {
            return Error(exception.StatusCode, exception.Message);
        }
        catch (JsonException exception)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid JSON: " + exception.Message);
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return Error(StatusCodes.Status409Conflict, $"cannot listen: {exception.Message}");
        }
        catch (SocketException exception)
        {
            return Error(StatusCodes.Status500InternalServerError, $"cannot listen: {exception.Message}");
        }
    }

    private static IResult ProxyNotFound(string name) => Error(StatusCodes.Status404NotFound, $"proxy '{name}' not found");

    private static IResult ToxicNotFound(string name) => Error(StatusCodes.Status404NotFound, $"toxic '{name}' not found");

    private static JsonHttpResult<ErrorResponse> Error(int statusCode, string message) =>
        TypedResults.Json(new ErrorResponse(message), statusCode: statusCode);
}
