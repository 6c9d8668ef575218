using AspireResilience.Backend.Agents;
using AspireResilience.Backend.Auth;
using AspireResilience.Backend.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireResilience.Backend.Gateway;

/// <summary>What every connection needs, resolved once.</summary>
public sealed class GatewayDependencies(
    SessionStore sessions,
    SessionHandshake handshake,
    RunStore runs,
    AgentRunService agentRuns,
    AccessTokenValidator tokens,
    ConnectionRegistry registry,
    IConnectionMultiplexer redis,
    IOptions<GatewayOptions> options,
    IOptions<TokenValidationOptions> tokenOptions,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILoggerFactory loggers)
{
    public SessionStore Sessions => sessions;
    public SessionHandshake Handshake => handshake;
    public RunStore Runs => runs;
    public AgentRunService AgentRuns => agentRuns;
    public AccessTokenValidator Tokens => tokens;
    public ConnectionRegistry Registry => registry;
    public ISubscriber Subscriber => redis.GetSubscriber();
    public GatewayOptions Options => options.Value;
    public TimeSpan ClockSkew => tokenOptions.Value.ClockSkew;
    public CancellationToken ApplicationStopping => lifetime.ApplicationStopping;
    public TimeProvider Time => time;
    public ILogger Logger { get; } = loggers.CreateLogger<GatewayConnection>();
}
