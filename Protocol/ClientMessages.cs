using System.Text.Json.Serialization;

namespace AspireResilience.Protocol;

/// <summary>A frame the client sends. The JSON discriminator is <c>type</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(HelloMessage), "hello")]
[JsonDerivedType(typeof(PromptMessage), "prompt")]
[JsonDerivedType(typeof(AckMessage), "ack")]
[JsonDerivedType(typeof(RefreshMessage), "refresh")]
[JsonDerivedType(typeof(PingMessage), "ping")]
public abstract record ClientMessage;

/// <summary>First frame of every connection. Without <see cref="SessionId"/> it opens a new session.</summary>
/// <param name="Token">The access token (JWT). Tokens travel in frames, never in URLs.</param>
/// <param name="SessionId">The session to resume.</param>
/// <param name="LastSeq">The highest <c>seq</c> the client has received in order.</param>
/// <param name="Epoch">The epoch the client was given in its last <c>welcome</c>.</param>
/// <param name="Traceparent">W3C trace context of the client's reconnect span.</param>
/// <param name="LastChain">v1.1: the client's chain at <see cref="LastSeq"/>; the server resumes only a history it shares.</param>
public sealed record HelloMessage(
    string Token,
    string? SessionId = null,
    long? LastSeq = null,
    string? Epoch = null,
    string? Traceparent = null,
    string? LastChain = null) : ClientMessage;

/// <summary>Starts an agent run. <see cref="Id"/> is the idempotency key and becomes the run id.</summary>
public sealed record PromptMessage(string Id, string Text) : ClientMessage;

/// <summary>Cumulative acknowledgement: every event with <c>seq ≤ Seq</c> was received.</summary>
public sealed record AckMessage(long Seq) : ClientMessage;

/// <summary>Replaces the access token of the live connection.</summary>
public sealed record RefreshMessage(string Token) : ClientMessage;

/// <summary>Application heartbeat; the server echoes <see cref="T"/> in a <c>pong</c>.</summary>
public sealed record PingMessage(long T) : ClientMessage;
