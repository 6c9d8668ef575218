using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AspireResilience.ChaosProxy.Apis.Contracts;
using AspireResilience.ChaosProxy.Proxies;
using AspireResilience.ChaosProxy.Toxics;

namespace AspireResilience.ChaosProxy.Apis;

/// <summary>Turns API bodies into validated toxics and proxy definitions, and proxies into API bodies.</summary>
internal static class ProxyApiMapper
{
    private const int MaxNameLength = 100;

    /// <summary>
    /// Builds a new toxic from <paramref name="request"/>, or the replacement of
    /// <paramref name="existing"/> (type and stream kept, attributes merged) when updating.
    /// </summary>
    public static bool TryCreateToxic(ToxicRequest request, Toxic? existing, [NotNullWhen(true)] out Toxic? toxic, [NotNullWhen(false)] out string? error)
    {
        toxic = null;
        var type = request.Type ?? existing?.Type;
        if (string.IsNullOrEmpty(type))
        {
            error = $"type is required; expected one of: {ToxicCatalog.TypeNames}";
            return false;
        }

        if (!ToxicCatalog.IsKnownType(type))
        {
            error = $"unknown toxic type '{type}'; expected one of: {ToxicCatalog.TypeNames}";
            return false;
        }

        if (!ToxicCatalog.TryParseStream(request.Stream ?? (existing is null ? null : ToxicCatalog.Format(existing.Stream)), out var stream))
        {
            error = $"unknown stream '{request.Stream}'; expected '{ToxicCatalog.UpstreamName}' or '{ToxicCatalog.DownstreamName}'";
            return false;
        }

        if (existing is not null && (type != existing.Type || stream != existing.Stream))
        {
            error = $"toxic '{existing.Name}' is a {existing.Type} toxic on {ToxicCatalog.Format(existing.Stream)}; type and stream cannot change";
            return false;
        }

        var toxicity = request.Toxicity ?? existing?.Toxicity ?? 1.0;
        if (double.IsNaN(toxicity) || toxicity is < 0 or > 1)
        {
            error = $"toxicity must be between 0 and 1, got {toxicity}";
            return false;
        }

        var name = existing?.Name ?? request.Name ?? $"{type}_{ToxicCatalog.Format(stream)}";
        if (!IsValidName(name, out error) || !TryReadAttributes(request.Attributes, existing, out var attributes, out error))
        {
            return false;
        }

        return ToxicCatalog.TryCreate(type, new ToxicSettings(name, stream, toxicity), attributes, out toxic, out error);
    }

    public static bool TryCreateDefinition(CreateProxyRequest request, [NotNullWhen(true)] out ProxyDefinition? definition, [NotNullWhen(false)] out string? error)
    {
        definition = null;
        if (!IsValidName(request.Name, out error))
        {
            return false;
        }

        if (!ListenAddress.TryParse(request.Listen, out var listen, out error))
        {
            return false;
        }

        if (!HostPort.TryParse(request.Upstream, out var upstream, out error))
        {
            error = "upstream: " + error;
            return false;
        }

        definition = new ProxyDefinition(request.Name!, listen, upstream, request.Enabled ?? true);
        return true;
    }

    public static bool IsValidName([NotNullWhen(true)] string? name, [NotNullWhen(false)] out string? error)
    {
        error = string.IsNullOrEmpty(name) ? "name is required"
            : name.Length > MaxNameLength ? $"name is longer than {MaxNameLength} characters"
            : !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? $"name '{name}' may only contain letters, digits, '_', '-' and '.'"
            : null;
        return error is null;
    }

    public static ProxyResponse ToResponse(Proxy proxy) => new(
        proxy.Name,
        proxy.Listen,
        proxy.UpstreamAddress.ToString(),
        proxy.Enabled,
        [.. proxy.Toxics.All.Select(ToResponse)],
        proxy.OpenConnections,
        new ByteCountersResponse(proxy.BytesUpstream, proxy.BytesDownstream));

    public static ToxicResponse ToResponse(Toxic toxic) =>
        new(toxic.Name, toxic.Type, ToxicCatalog.Format(toxic.Stream), toxic.Toxicity, toxic.Attributes);

    private static bool TryReadAttributes(
        Dictionary<string, JsonElement>? requested,
        Toxic? existing,
        out Dictionary<string, long> attributes,
        [NotNullWhen(false)] out string? error)
    {
        attributes = existing is null ? new(StringComparer.Ordinal) : new(existing.Attributes, StringComparer.Ordinal);
        foreach (var (key, value) in requested ?? [])
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number is < 0 or > int.MaxValue)
            {
                error = $"attribute '{key}' must be a non-negative integer (at most {int.MaxValue}), got {value.GetRawText()}";
                return false;
            }

            attributes[key] = number;
        }

        error = null;
        return true;
    }
}
