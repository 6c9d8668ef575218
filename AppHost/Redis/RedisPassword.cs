namespace AspireResilience.AppHost.Redis;

/// <summary>
/// A Redis password generated per AppHost run: the secret parameter clients' connection strings
/// name, and its value, which only the owner-only config files receive.
/// </summary>
internal sealed record RedisPassword(ParameterResource Parameter, string Value);
