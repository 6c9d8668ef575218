using System.Net.Http.Json;
using System.Text.Json;

namespace AspireResilience.ChaosProxy.Client;

/// <summary>
/// A typed client for the ChaosProxy control API (Toxiproxy-compatible shapes). The
/// <see cref="HttpClient"/>'s <see cref="HttpClient.BaseAddress"/> points at the API. Every
/// error answer becomes a <see cref="ChaosProxyException"/>. The API answers only requests that
/// carry its bearer token (<c>ChaosProxy:ApiToken</c>, which the AppHost generates per run).
/// </summary>
/// <param name="httpClient">A client whose base address is the ChaosProxy API.</param>
/// <param name="apiToken">The API's bearer token, sent with every request; null sends none (the API then answers 401).</param>
public sealed class ChaosProxyClient(HttpClient httpClient, string? apiToken)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>A client that sends no token: for an API that is not the AppHost's.</summary>
    /// <param name="httpClient">A client whose base address is the ChaosProxy API.</param>
    public ChaosProxyClient(HttpClient httpClient)
        : this(httpClient, apiToken: null)
    {
    }

    /// <summary>Gets every proxy, by name.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<IReadOnlyDictionary<string, ProxyInfo>> GetProxiesAsync(CancellationToken cancellationToken = default) =>
        await SendAsync<Dictionary<string, ProxyInfo>>(HttpMethod.Get, "proxies", null, cancellationToken);

    /// <summary>Gets one proxy.</summary>
    /// <param name="name">The proxy name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ProxyInfo> GetProxyAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<ProxyInfo>(HttpMethod.Get, ProxyPath(name), null, cancellationToken);

    /// <summary>Creates a proxy.</summary>
    /// <param name="name">Unique name (letters, digits, '_', '-', '.').</param>
    /// <param name="listen">Listen address, <c>ip:port</c>; port 0 picks a free one (see <see cref="ProxyInfo.Listen"/>).</param>
    /// <param name="upstream">Upstream, <c>host:port</c>; a host name is resolved per connection.</param>
    /// <param name="enabled">Whether it listens at once.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ProxyInfo> CreateProxyAsync(string name, string listen, string upstream, bool enabled = true, CancellationToken cancellationToken = default) =>
        SendAsync<ProxyInfo>(HttpMethod.Post, "proxies", new { name, listen, upstream, enabled }, cancellationToken);

    /// <summary>Enables a proxy (listens again on the same port) or disables it ("down": closes the listener and every open connection).</summary>
    /// <param name="name">The proxy name.</param>
    /// <param name="enabled">The new state.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ProxyInfo> SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken = default) =>
        SendAsync<ProxyInfo>(HttpMethod.Post, ProxyPath(name), new { enabled }, cancellationToken);

    /// <summary>Points new connections of a proxy at another upstream; open connections keep theirs.</summary>
    /// <param name="name">The proxy name.</param>
    /// <param name="upstream">The new upstream, <c>host:port</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ProxyInfo> SetUpstreamAsync(string name, string upstream, CancellationToken cancellationToken = default) =>
        SendAsync<ProxyInfo>(HttpMethod.Post, ProxyPath(name), new { upstream }, cancellationToken);

    /// <summary>Deletes a proxy, closing its listener and connections.</summary>
    /// <param name="name">The proxy name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task DeleteProxyAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<object>(HttpMethod.Delete, ProxyPath(name), null, cancellationToken);

    /// <summary>Gets the toxics of a proxy, in chain order.</summary>
    /// <param name="proxy">The proxy name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<IReadOnlyList<Toxic>> GetToxicsAsync(string proxy, CancellationToken cancellationToken = default) =>
        await SendAsync<List<Toxic>>(HttpMethod.Get, ToxicsPath(proxy), null, cancellationToken);

    /// <summary>Adds a toxic; it applies to open connections too, from their next chunk.</summary>
    /// <param name="proxy">The proxy name.</param>
    /// <param name="toxic">The toxic, e.g. <c>Toxic.Latency(200)</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The toxic as stored (attribute defaults filled in).</returns>
    public Task<Toxic> AddToxicAsync(string proxy, Toxic toxic, CancellationToken cancellationToken = default) =>
        SendAsync<Toxic>(HttpMethod.Post, ToxicsPath(proxy), toxic, cancellationToken);

    /// <summary>Changes a toxic's attributes or toxicity (type and stream stay); data held by the old settings is released.</summary>
    /// <param name="proxy">The proxy name.</param>
    /// <param name="toxic">The toxic, named as the one to change.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<Toxic> UpdateToxicAsync(string proxy, Toxic toxic, CancellationToken cancellationToken = default) =>
        SendAsync<Toxic>(HttpMethod.Post, $"{ToxicsPath(proxy)}/{Uri.EscapeDataString(toxic.Name)}", toxic, cancellationToken);

    /// <summary>Removes a toxic; data it was holding flows on.</summary>
    /// <param name="proxy">The proxy name.</param>
    /// <param name="toxic">The toxic name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task RemoveToxicAsync(string proxy, string toxic, CancellationToken cancellationToken = default) =>
        SendAsync<object>(HttpMethod.Delete, $"{ToxicsPath(proxy)}/{Uri.EscapeDataString(toxic)}", null, cancellationToken);

    /// <summary>Enables every proxy and removes every toxic (Toxiproxy's <c>POST /reset</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task ResetAsync(CancellationToken cancellationToken = default) =>
        SendAsync<object>(HttpMethod.Post, "reset", null, cancellationToken);

    /// <summary>Resets (TCP RST) every open connection of a proxy but keeps it listening: the "cut all connections" fault.</summary>
    /// <param name="proxy">The proxy name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>How many connections were reset.</returns>
    public async Task<int> ResetConnectionsAsync(string proxy, CancellationToken cancellationToken = default) =>
        (await SendAsync<ConnectionsReset>(HttpMethod.Post, $"{ProxyPath(proxy)}/connections/reset", null, cancellationToken)).Reset;

    private static string ProxyPath(string name) => "proxies/" + Uri.EscapeDataString(name);

    private static string ToxicsPath(string proxy) => ProxyPath(proxy) + "/toxics";

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (apiToken is not null)
        {
            // Per request, not on the HttpClient: a shared client's defaults stay untouched.
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiToken);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        using var response = await httpClient.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await ReadErrorAsync(response, cancellationToken);
            throw new ChaosProxyException(response.StatusCode, $"{method} /{path}: {(int)response.StatusCode} {error}");
        }

        if (response.StatusCode == System.Net.HttpStatusCode.NoContent || typeof(T) == typeof(object))
        {
            return default!;
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new ChaosProxyException(response.StatusCode, $"{method} /{path}: empty answer");
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<ErrorBody>(text, Json)?.Error ?? text;
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private sealed record ErrorBody(string? Error);

    private sealed record ConnectionsReset(int Reset);
}
