using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using AspireResilience.Backend.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AspireResilience.UnitTests.Backend;

/// <summary>Signs access tokens the way the AuthService does and serves the matching JWKS, so a real <see cref="AccessTokenValidator"/> accepts them.</summary>
internal sealed class TestTokens : IDisposable
{
    private const string KeyId = "test-key";
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly TokenValidationOptions _options = new();

    public TokenValidationOptions Options => _options;

    public string Issue(string subject, DateTimeOffset now, DateTimeOffset expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            TokenType = AspireResilience.Contracts.AccessTokenContract.TokenType,
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["jti"] = Guid.NewGuid().ToString("N") },
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });

    public IHttpClientFactory JwksEndpoint()
    {
        var key = _rsa.ExportParameters(includePrivateParameters: false);
        var jwks = JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", kid = KeyId, use = "sig", alg = "RS256", n = Base64UrlEncoder.Encode(key.Modulus), e = Base64UrlEncoder.Encode(key.Exponent) },
            },
        });
        return new StaticResponse(jwks);
    }

    public void Dispose() => _rsa.Dispose();

    private sealed class StaticResponse(string json) : HttpMessageHandler, IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json) });
    }
}
