namespace AspireResilience.Contracts;

/// <summary>The proxies the AppHost puts into ChaosProxy, and the endpoints they listen on.</summary>
public static class ChaosProxyNames
{
    /// <summary>The proxy on the client ↔ Backend hop.</summary>
    public const string Backend = "backend";

    /// <summary>The proxy on the Backend ↔ Redis hop.</summary>
    public const string Redis = "redis";

    /// <summary>
    /// The AppHost's secret parameter holding the control API's bearer token (generated per run):
    /// tests read it from the app model, the dashboard commands send it.
    /// </summary>
    public const string ApiTokenParameter = "chaosproxy-api-token";

    /// <summary>The ChaosProxy resource's endpoint on which <paramref name="proxy"/> listens.</summary>
    public static string Endpoint(string proxy) => $"{proxy}-proxy";
}
