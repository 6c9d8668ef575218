using AspireResilience.AuthService.Revocations;
using AspireResilience.AuthService.Signing;
using AspireResilience.Contracts;
using Microsoft.Extensions.Options;

namespace AspireResilience.AuthService.Apis;

/// <summary><c>GET /.well-known/jwks.json</c> and, for the test bench only, the admin API (<c>POST /admin/rotate-key</c>, <c>POST /admin/revoke-all</c>).</summary>
public static class JwksApi
{
    public static IEndpointRouteBuilder MapJwksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/jwks.json", GetJwks);

        // Not mapped at all unless enabled, so production answers a plain 404.
        if (app.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>().Value.EnableAdminApi)
        {
            app.MapPost(AuthAdminApi.RotateKeyPath, RotateKey);
            app.MapPost(AuthAdminApi.RevokeAllPath, RevokeAllAsync);
        }

        return app;
    }

    private static IResult GetJwks(HttpContext context, SigningKeyStore keys, IOptions<AuthOptions> options)
    {
        // Verifiers re-read the set this often (the Backend honours it), so a key dropped by a
        // rotation stops being trusted within max-age even without a kid miss.
        context.Response.Headers.CacheControl = $"public, max-age={(long)options.Value.JwksMaxAge.TotalSeconds}";
        return Results.Json(JsonWebKeySetDocument.From(keys.VerificationKeys));
    }

    private static IResult RotateKey(SigningKeyStore keys) => Results.Json(new { kid = keys.Rotate().Kid });

    private static async Task<IResult> RevokeAllAsync(RevocationService revocations, CancellationToken cancellationToken) =>
        Results.Json(new { revoked = await revocations.RevokeAllAsync(cancellationToken) });
}
