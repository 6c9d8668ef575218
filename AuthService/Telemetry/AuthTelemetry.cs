using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AspireResilience.AuthService.Telemetry;

/// <summary>
/// The ActivitySource and Meter of this service. ServiceDefaults subscribes to every
/// <c>AspireResilience.*</c> source and meter, so nothing else needs registering.
/// </summary>
public sealed class AuthTelemetry
{
    public const string Name = "AspireResilience.Auth";

    /// <summary>Span attribute naming the user a token speaks for (its <c>sub</c>); the semantic-convention name.</summary>
    public const string UserIdAttribute = "user.id";

    // Static like every ActivitySource: listeners attach by name, independent of DI lifetimes.
    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _tokensIssued;
    private readonly Counter<long> _revocations;
    private readonly Counter<long> _grantFailures;

    public AuthTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _tokensIssued = meter.CreateCounter<long>("auth.tokens.issued", "{token}", "Access tokens issued.");
        _revocations = meter.CreateCounter<long>("auth.revocations", "{revocation}", "Refresh families and access-token jtis revoked.");
        _grantFailures = meter.CreateCounter<long>("auth.grant.failures", "{request}", "Token requests answered with an OAuth error.");
    }

    public static Activity? StartIssue(string grantType)
    {
        var activity = Source.StartActivity("token.issue");
        activity?.SetTag("grant_type", grantType);
        return activity;
    }

    public static Activity? StartRevoke() => Source.StartActivity("token.revoke");

    public void TokenIssued(string grantType) =>
        _tokensIssued.Add(1, new KeyValuePair<string, object?>("grant_type", grantType));

    /// <param name="kind"><c>family</c> or <c>jti</c>.</param>
    /// <param name="reason"><c>reuse</c> (a rotated refresh token came back) or <c>request</c>.</param>
    public void Revoked(string kind, string reason) =>
        _revocations.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("reason", reason));

    public void GrantFailed(string grantType, string error) =>
        _grantFailures.Add(1, new KeyValuePair<string, object?>("grant_type", grantType), new KeyValuePair<string, object?>("error", error));
}
