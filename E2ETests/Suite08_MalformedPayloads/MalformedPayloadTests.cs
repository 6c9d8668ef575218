using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Suite08_MalformedPayloads;

/// <summary>
/// Suite08: whatever a client sends — broken JSON, wrong shapes, oversize, binary, invalid
/// UTF-8, floods, raw frame violations, hostile strings — the backend answers with the error or
/// close code docs/protocol.md names, and keeps serving everyone else.
/// </summary>
[TestClass]
[TestCategory("Suite08")]
public sealed class MalformedPayloadTests : E2ETest<SharedEnvironment>
{
    private const int MaxFrameBytes = 16 * 1024;

    [TestMethod]
    public async Task InvalidJsonIsAnsweredWithAnErrorAndTheConnectionAndSessionCarryOn()
    {
        await using var client = await HelloAsync();

        await client.SendTextAsync("""{"type":"ping","t":""");

        await ExpectErrorAsync(client, ErrorCodes.InvalidJson);
        await ExpectPongAsync(client);
        var answer = await PromptAsync(client, "after-garbage", "still there?", expectedFirstSeq: 1);
        Assert.StartsWith("[context: 0 earlier messages]", answer, "the bad frame left no trace in the session");
    }

    [TestMethod]
    public async Task UnknownTypeIsAnsweredWithUnknownTypeAndTheConnectionStaysOpen()
    {
        await using var client = await HelloAsync();

        await client.SendTextAsync("""{"type":"launch","missiles":true}""");

        await ExpectErrorAsync(client, ErrorCodes.UnknownType);
        await ExpectPongAsync(client);
    }

    [TestMethod]
    [DataRow("""{"type":"ack"}""", DisplayName = "ack without seq")]
    [DataRow("""{"type":"ack","seq":"x"}""", DisplayName = "ack with a string seq")]
    [DataRow("""{"type":"ping","t":1.5}""", DisplayName = "ping with a fractional t")]
    [DataRow("""{"type":"ping","t":1,"extra":true}""", DisplayName = "ping with an unknown property")]
    [DataRow("""{"type":"prompt","text":"no id"}""", DisplayName = "prompt without id")]
    [DataRow("""{"type":"prompt","id":"bad id!","text":"x"}""", DisplayName = "prompt with a malformed id")]
    [DataRow("""{"type":"prompt","id":"empty","text":""}""", DisplayName = "prompt with empty text")]
    [DataRow("PROMPT_4001", DisplayName = "prompt with 4,001 characters")]
    [DataRow("""[{"type":"ping","t":1}]""", DisplayName = "an array instead of an object")]
    public async Task MissingOrWronglyTypedFieldsAreAnsweredWithInvalidMessage(string frame)
    {
        await using var client = await HelloAsync();
        if (frame == "PROMPT_4001") frame = $$"""{"type":"prompt","id":"long","text":"{{new string('a', 4_001)}}"}""";

        await client.SendTextAsync(frame);

        await ExpectErrorAsync(client, ErrorCodes.InvalidMessage);
        await ExpectPongAsync(client);
    }

    [TestMethod]
    public async Task AFrameOfExactlyTheSizeLimitIsServedAndOneByteMoreClosesWith1009()
    {
        await using var client = await HelloAsync();

        await client.SendTextAsync(PaddedPing(MaxFrameBytes));
        await ExpectPongAsync(client, sendPing: false);
        await client.SendTextAsync(PaddedPing(MaxFrameBytes + 1));

        await ExpectCloseAsync(client, CloseCodes.TooBig);
    }

    [TestMethod]
    public async Task ABinaryFrameClosesWith1003()
    {
        await using var client = await HelloAsync();

        await client.SendAsync("""{"type":"ping","t":1}"""u8.ToArray(), WebSocketMessageType.Binary);

        await ExpectCloseAsync(client, CloseCodes.BinaryFrame);
    }

    [TestMethod]
    [DataRow(new byte[] { 0xC3, 0x28 }, DisplayName = "truncated two-byte sequence")]
    [DataRow(new byte[] { 0xC0, 0xAF }, DisplayName = "overlong encoding")]
    [DataRow(new byte[] { 0xED, 0xA0, 0x80 }, DisplayName = "encoded surrogate")]
    [DataRow(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, DisplayName = "above U+10FFFF")]
    public async Task InvalidUtf8InATextFrameClosesWith1007(byte[] invalid)
    {
        await using var client = await HelloAsync();

        byte[] frame = [.. Encoding.UTF8.GetBytes("{\"type\":\"ping\",\"t\":1,\"x\":\""), .. invalid, .. "\"}"u8];
        await client.SendAsync(frame, WebSocketMessageType.Text);

        await ExpectCloseAsync(client, CloseCodes.InvalidUtf8);
    }

    [TestMethod]
    [DataRow("[", "]", 8_000, DisplayName = "8,000 nested arrays")]
    [DataRow("""{"a":""", "}", 2_500, DisplayName = "2,500 nested objects")]
    public async Task DeeplyNestedJsonIsRejectedQuicklyAsInvalidJsonAndTheConnectionStaysOpen(string open, string close, int depth)
    {
        await using var client = await HelloAsync();
        var frame = string.Concat(Enumerable.Repeat(open, depth)) + "0" + string.Concat(Enumerable.Repeat(close, depth));
        Assert.IsLessThanOrEqualTo(MaxFrameBytes, Encoding.UTF8.GetByteCount(frame), "the frame must stay within the size limit");

        var watch = Stopwatch.StartNew();
        await client.SendTextAsync(frame);
        await ExpectErrorAsync(client, ErrorCodes.InvalidJson);

        Assert.IsLessThan(TimeSpan.FromSeconds(2), watch.Elapsed, "rejection must be bounded (the parser stops at depth 8)");
        await ExpectPongAsync(client);
    }

    [TestMethod]
    public async Task AFloodAboveTheRateLimitClosesWith1008()
    {
        await using var client = await HelloAsync();

        for (var t = 0; t < 500; t++)
        {
            await client.SendTextAsync($$"""{"type":"ping","t":{{t}}}""");
        }
        var (close, before) = await client.ReceiveCloseAsync();

        Assert.AreEqual(CloseCodes.Policy, (int?)close.CloseStatus, close.CloseDescription);
        Assert.IsTrue(before.All(m => m is PongMessage), "only pongs before the close");
        Assert.IsGreaterThanOrEqualTo(100, before.Count, "the burst of 100 is served");
        Assert.IsLessThan(500, before.Count, "the flood is cut off");
    }

    [TestMethod]
    public async Task BadFramesPastTheStrikeLimitCloseWith1008AfterFiveErrors()
    {
        await using var client = await HelloAsync();

        for (var i = 0; i < 6; i++)
        {
            await client.SendTextAsync("not json");
        }
        var (close, before) = await client.ReceiveCloseAsync();

        Assert.AreEqual(CloseCodes.Policy, (int?)close.CloseStatus, close.CloseDescription);
        Assert.HasCount(5, before, "each of the five strikes is answered with an error, then the close");
        Assert.IsTrue(before.All(m => m is ErrorMessage { Code: ErrorCodes.InvalidJson }), string.Join(", ", before));
    }

    [TestMethod]
    [DataRow("""{"type":"ping","t":1}""", DisplayName = "ping before hello")]
    [DataRow("""{"type":"prompt","id":"p","text":"hi"}""", DisplayName = "prompt before hello")]
    [DataRow("not json", DisplayName = "garbage before hello")]
    [DataRow("""{"type":"hello"}""", DisplayName = "hello without token")]
    [DataRow("""{"type":"hello","token":42}""", DisplayName = "hello with a numeric token")]
    [DataRow("""{"type":"hello","token":"{token}","extra":1}""", DisplayName = "hello with an unknown property")]
    [DataRow("""{"type":"hello","token":"{token}","sessionId":"../../etc"}""", DisplayName = "hello with a malformed sessionId")]
    [DataRow("""{"type":"hello","token":"{token}","sessionId":"abc","lastSeq":-1}""", DisplayName = "hello with a negative lastSeq")]
    public async Task AFirstFrameThatIsNotAValidHelloClosesWith4400(string frame)
    {
        var token = await RawClient.TokenAsync(Env);
        await using var client = await RawClient.ConnectAsync(Env.BackendWebSocket);

        await client.SendTextAsync(frame.Replace("{token}", token, StringComparison.Ordinal));

        await ExpectCloseAsync(client, CloseCodes.MalformedHello);
    }

    [TestMethod]
    [DataRow((byte)0xC1, "text frame with RSV1", DisplayName = "RSV1 set")]
    [DataRow((byte)0xA1, "text frame with RSV2", DisplayName = "RSV2 set")]
    [DataRow((byte)0x83, "reserved opcode 3", DisplayName = "reserved opcode 0x3")]
    [DataRow((byte)0x8B, "reserved opcode 0xB", DisplayName = "reserved control opcode 0xB")]
    [DataRow((byte)0x09, "fragmented ping", DisplayName = "ping without FIN")]
    [DataRow((byte)0x89, "OVERSIZED", DisplayName = "ping with 126 payload bytes")]
    [DataRow((byte)0x88, "CLOSE_999", DisplayName = "close with invalid code 999")]
    [DataRow((byte)0x80, "continuation", DisplayName = "continuation without a started message")]
    public async Task RawFrameProtocolViolationsCloseWith1002AndTheBackendKeepsServing(byte firstByte, string payload)
    {
        var token = await RawClient.TokenAsync(Env);
        using (var raw = await RawFrameClient.ConnectAsync(Env.BackendWebSocket))
        {
            await raw.SendFrameAsync(0x81, ProtocolJson.Serialize(new HelloMessage(token)));
            var (opcode, welcome) = await raw.ReceiveFrameAsync();
            Assert.AreEqual(0x1, opcode);
            Assert.IsInstanceOfType<WelcomeMessage>(ProtocolJson.DeserializeServer(welcome));

            byte[] bytes = payload switch
            {
                "OVERSIZED" => new byte[126],
                "CLOSE_999" => [0x03, 0xE7],
                _ => Encoding.UTF8.GetBytes(payload),
            };
            await raw.SendFrameAsync(firstByte, bytes);

            Assert.AreEqual(CloseCodes.ProtocolError, await raw.ReceiveCloseAsync());
        }

        await using var next = await RawClient.ConnectAsync(Env.BackendWebSocket);
        await next.HelloAsync(token);
        await ExpectPongAsync(next);
    }

    [TestMethod]
    public async Task AProtocolViolationBeforeHelloIsClosedWith1002OnEveryConnection()
    {
        // The close code must not depend on timing: twenty connections, each sending a frame
        // with RSV1 set as its first frame, must all see the 1002 close frame.
        const int attempts = 20;
        var outcomes = new List<string>();
        for (var i = 0; i < attempts; i++)
        {
            using var raw = await RawFrameClient.ConnectAsync(Env.BackendWebSocket);
            await raw.SendFrameAsync(0xC1, "{}"u8.ToArray());
            try
            {
                outcomes.Add($"close {await raw.ReceiveCloseAsync()}");
            }
            catch (Exception ex) when (ex is EndOfStreamException or IOException)
            {
                outcomes.Add("TCP closed without a close frame");
            }
        }

        var summary = string.Join(", ", outcomes.CountBy(o => o).Select(o => $"{o.Key} x{o.Value}"));
        Assert.AreEqual(attempts, outcomes.Count(o => o == $"close {CloseCodes.ProtocolError}"), summary);
        await using var next = await HelloAsync();
        await ExpectPongAsync(next);
    }

    [TestMethod]
    [DataRow("not-a-jwt", DisplayName = "no dots")]
    [DataRow("not.a.jwt", DisplayName = "three segments that are not base64url JSON")]
    [DataRow("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", DisplayName = "alg none, unsigned")]
    [DataRow("LONG", DisplayName = "a token of 4,097 characters")]
    public async Task AHelloWhoseTokenIsNotAValidJwtClosesWith4003(string token)
    {
        if (token == "LONG") token = new string('a', 4_097);
        await using var client = await RawClient.ConnectAsync(Env.BackendWebSocket);

        await client.SendAsync(ProtocolJson.Serialize(new HelloMessage(token)), WebSocketMessageType.Text);

        await ExpectCloseAsync(client, CloseCodes.Forbidden);
    }

    [TestMethod]
    public async Task ARefreshWhoseTokenIsNotAValidJwtIsAnsweredWithInvalidTokenAndTheConnectionStaysOpen()
    {
        await using var client = await HelloAsync();

        await client.SendTextAsync("""{"type":"refresh","token":"not.a.jwt"}""");

        var received = await client.ReceiveAsync();
        Assert.AreEqual(ErrorCodes.InvalidToken, (received.Message as ErrorMessage)?.Code,
            received.Json ?? $"close {received.CloseStatus}: {received.CloseDescription}");
        await ExpectPongAsync(client);
    }

    [TestMethod]
    public async Task HostileStringsInPromptsAreAcceptedAndTheirAnswersStreamAsValidJson()
    {
        await using var client = await HelloAsync();
        // 2,000 emoji are 4,000 UTF-16 chars (the limit) and 8,000 UTF-8 bytes; sent unescaped
        // so the frame stays far below the size limit.
        string[] texts =
        [
            """<script>alert(1)</script>\"; DROP TABLE sessions; --""",
            """\u0000nul\u0000 and \u202Eright-to-left\u2028line""",
            string.Concat(Enumerable.Repeat("😀", 2_000)),
        ];

        for (var i = 0; i < texts.Length; i++)
        {
            await client.SendTextAsync($$"""{"type":"prompt","id":"hostile-{{i}}","text":"{{texts[i]}}"}""");
            var answer = await ReadAnswerAsync(client, $"hostile-{i}");
            // The conversation context (JSON in Redis) stayed readable: each turn sees the ones before.
            Assert.StartsWith($"[context: {2 * i} earlier messages]", answer);
        }
    }

    [TestMethod]
    public async Task AfterAbuseOnOtherConnectionsAFreshSessionAnswersInFullAndTheBackendIsHealthy()
    {
        var pids = Env.Faults.Pids(ResourceNames.Backend);
        await AbuseAsync(c => c.SendTextAsync(PaddedPing(MaxFrameBytes + 1)), CloseCodes.TooBig);
        await AbuseAsync(c => c.SendAsync(new byte[64], WebSocketMessageType.Binary), CloseCodes.BinaryFrame);
        await AbuseAsync(c => c.SendAsync(new byte[] { 0x22, 0xFF, 0x22 }, WebSocketMessageType.Text), CloseCodes.InvalidUtf8);
        await AbuseAsync(async c => { for (var i = 0; i < 6; i++) await c.SendTextAsync(new string('[', 9_000)); }, CloseCodes.Policy);
        await AbuseAsync(async c => { for (var i = 0; i < 300; i++) await c.SendTextAsync("""{"type":"ping","t":0}"""); }, CloseCodes.Policy);
        using (var raw = await RawFrameClient.ConnectAsync(Env.BackendWebSocket))
        {
            await raw.SendFrameAsync(0x81, ProtocolJson.Serialize(new HelloMessage(await RawClient.TokenAsync(Env))));
            await raw.ReceiveFrameAsync();
            await raw.SendFrameAsync(0x83, "{}"u8.ToArray());
            Assert.AreEqual(CloseCodes.ProtocolError, await raw.ReceiveCloseAsync());
        }

        await using var client = await HelloAsync();
        var answer = await PromptAsync(client, "after-abuse", "are you well?", expectedFirstSeq: 1);
        Assert.StartsWith("[context: 0 earlier messages]", answer);

        using var http = Env.App.CreateHttpClient(ResourceNames.Backend);
        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), Timeouts.Token());
        Assert.AreEqual(HttpStatusCode.OK, health.StatusCode);
        Assert.AreEqual("Healthy", await health.Content.ReadAsStringAsync(Timeouts.Token()));
        CollectionAssert.AreEqual(pids.ToArray(), Env.Faults.Pids(ResourceNames.Backend).ToArray(), "no backend process was restarted");
    }

    [TestMethod]
    public async Task ADisallowedOriginIsRefusedWith403AtTheHandshake()
    {
        var refused = await Assert.ThrowsAsync<HandshakeRejectedException>(
            () => RawClient.ConnectAsync(Env.BackendWebSocket, origin: "http://evil.example"));

        Assert.AreEqual(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.IsInstanceOfType<WebSocketException>(refused.InnerException);
    }

    private static async Task AbuseAsync(Func<RawClient, Task> abuse, int expectedClose)
    {
        await using var client = await HelloAsync();
        await abuse(client);
        await ExpectCloseAsync(client, expectedClose);
    }

    private static async Task<RawClient> HelloAsync()
    {
        var token = await RawClient.TokenAsync(Env);
        var client = await RawClient.ConnectAsync(Env.BackendWebSocket);
        await client.HelloAsync(token);
        return client;
    }

    /// <summary>A valid ping padded with JSON whitespace to exactly <paramref name="bytes"/> bytes.</summary>
    private static string PaddedPing(int bytes)
    {
        const string ping = """{"type":"ping","t":7}""";
        return ping + new string(' ', bytes - ping.Length);
    }

    private static async Task ExpectErrorAsync(RawClient client, string code)
    {
        var received = await client.ReceiveAsync();
        Assert.IsInstanceOfType<ErrorMessage>(received.Message, received.Json ?? $"close {received.CloseStatus}: {received.CloseDescription}");
        var error = (ErrorMessage)received.Message;
        Assert.AreEqual(code, error.Code, error.Message);
        Assert.IsFalse(error.Retryable);
    }

    /// <summary>The connection is open and served: a ping gets its pong (unless the caller sent the ping).</summary>
    private static async Task ExpectPongAsync(RawClient client, bool sendPing = true)
    {
        if (sendPing) await client.SendTextAsync("""{"type":"ping","t":7}""");
        var received = await client.ReceiveAsync();
        Assert.AreEqual<ServerMessage?>(new PongMessage(7), received.Message, received.Json ?? $"close {received.CloseStatus}: {received.CloseDescription}");
    }

    private static async Task ExpectCloseAsync(RawClient client, int code)
    {
        (Received Close, List<ServerMessage> Before) result = default;
        try
        {
            result = await client.ReceiveCloseAsync();
        }
        catch (WebSocketException ex)
        {
            Assert.Fail($"expected close {code}, but the connection dropped without a close frame (a client sees 1006): {ex.Message}");
        }
        Assert.AreEqual(code, (int?)result.Close.CloseStatus, $"{result.Close.CloseDescription}; before: {string.Join(", ", result.Before)}");
    }

    private static async Task<string> PromptAsync(RawClient client, string id, string text, long expectedFirstSeq)
    {
        await client.SendAsync(ProtocolJson.Serialize(new PromptMessage(id, text)), WebSocketMessageType.Text);
        return await ReadAnswerAsync(client, id, expectedFirstSeq);
    }

    /// <summary>Reads the run's events to its end: seq +1 each, index 0..n+1, start + 20 chunks + end.</summary>
    private static async Task<string> ReadAnswerAsync(RawClient client, string runId, long? expectedFirstSeq = null)
    {
        var text = new StringBuilder();
        var previousSeq = expectedFirstSeq - 1;
        var index = 0;
        while (true)
        {
            var received = await client.ReceiveAsync();
            if (received.Message is not EventMessage e)
            {
                Assert.Fail($"expected an event of {runId}, got {received.Json ?? $"close {received.CloseStatus}: {received.CloseDescription}"}");
                return "";
            }
            if (previousSeq is { } p) Assert.AreEqual(p + 1, e.Seq, "seq must grow by exactly one");
            previousSeq = e.Seq;
            Assert.AreEqual(runId, e.RunId);
            Assert.AreEqual(index++, e.Index, "index must be continuous");
            if (e.Kind == EventKinds.StreamChunk) text.Append(e.Text);
            if (e.Kind != EventKinds.StreamEnd) continue;
            Assert.AreEqual(22, index, "start + 20 chunks + end");
            return text.ToString();
        }
    }
}
