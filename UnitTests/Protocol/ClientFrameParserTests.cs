using System.Diagnostics;
using System.Text;
using AspireResilience.Protocol;

namespace AspireResilience.UnitTests.Protocol;

[TestClass]
public sealed class ClientFrameParserTests
{
    public static IEnumerable<object[]> ValidFrames =>
    [
        ["""{"type":"hello","token":"jwt"}""", new HelloMessage("jwt")],
        ["""{"type":"hello","token":"jwt","sessionId":"s1","lastSeq":3,"epoch":"e1","traceparent":"tp"}""", new HelloMessage("jwt", "s1", 3, "e1", "tp")],
        ["""{"type":"hello","token":"jwt","sessionId":null,"lastSeq":null}""", new HelloMessage("jwt")],
        ["""{"type":"prompt","id":"p1","text":"hi"}""", new PromptMessage("p1", "hi")],
        ["""{"type":"ack","seq":0}""", new AckMessage(0)],
        ["""{"type":"refresh","token":"jwt2"}""", new RefreshMessage("jwt2")],
        ["""{"type":"ping","t":-5}""", new PingMessage(-5)],
        [""" { "type" : "ping" , "t" : 1 } """, new PingMessage(1)],
    ];

    [TestMethod]
    [DynamicData(nameof(ValidFrames))]
    public void ValidFrameParsesToItsMessage(string json, ClientMessage expected)
    {
        var result = Parse(json);

        Assert.IsTrue(result.IsValid, result.Error);
        Assert.AreEqual(expected, result.Message);
        Assert.IsNull(result.ErrorCode);
    }

    [TestMethod]
    [DataRow("""{"t":5,"type":"ping"}""")]
    [DataRow("""{"text":"hi","id":"p1","type":"prompt"}""")]
    [DataRow("""{"token":"jwt","lastSeq":2,"type":"hello"}""")]
    public void TypeNeedNotBeTheFirstProperty(string json)
    {
        var result = Parse(json);

        Assert.IsTrue(result.IsValid, result.Error);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("not json")]
    [DataRow("{")]
    [DataRow("""{"type":"ping","t":1""")]
    [DataRow("""{"type":"ping","t":1}}""")]
    [DataRow("""{"type":"ping","t":1} {"type":"ping","t":2}""")]
    [DataRow("""{'type':'ping','t':1}""")]
    [DataRow("""{"type":"ping","t":1,}""")]
    public void MalformedJsonIsReportedAsInvalidJson(string json) =>
        AssertRejected(json, ErrorCodes.InvalidJson);

    [TestMethod]
    public void InvalidUtf8InAFieldIsRejected()
    {
        // The WebSocket refuses such a text frame with 1007 before it gets here; if it ever does
        // arrive, it must still be an answer, not a message.
        byte[] frame = [.. "{\"type\":\"prompt\",\"id\":\"p1\",\"text\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var result = ClientFrameParser.Parse(frame);

        Assert.IsNull(result.Message);
        Assert.Contains(result.ErrorCode!, new[] { ErrorCodes.InvalidJson, ErrorCodes.InvalidMessage });
    }

    [TestMethod]
    public void InvalidUtf8InTheTypeIsReportedInsteadOfThrown()
    {
        // {"type":"<0x80>","t":1} — found by ClientFrameParserPropertyTests.
        byte[] frame = [.. "{\"type\":\""u8, 0x80, .. "\",\"t\":1}"u8];

        var result = ClientFrameParser.Parse(frame);

        Assert.IsNull(result.Message);
        Assert.Contains(result.ErrorCode!, new[] { ErrorCodes.InvalidJson, ErrorCodes.UnknownType });
    }

    [TestMethod]
    [DataRow(1_000)]
    [DataRow(1_000_000)]
    public void DeepNestingIsReportedAsInvalidJsonQuickly(int depth)
    {
        var json = new string('[', depth) + new string(']', depth);
        var nestedInField = "{\"type\":\"ping\",\"t\":" + json + "}";
        var stopwatch = Stopwatch.StartNew();

        var bare = Parse(json);
        var inField = Parse(nestedInField);

        stopwatch.Stop();
        Assert.AreEqual(ErrorCodes.InvalidJson, bare.ErrorCode);
        Assert.AreEqual(ErrorCodes.InvalidJson, inField.ErrorCode);
        // The depth limit stops the reader after 9 levels, so the cost must not grow with depth.
        Assert.IsLessThan(TimeSpan.FromSeconds(1), stopwatch.Elapsed);
    }

    [TestMethod]
    public void NestingUpToTheLimitIsStillJson()
    {
        // Depth 8 is allowed, so this is valid JSON; it just is not a valid ping.
        var json = """{"type":"ping","t":[[[[[[[1]]]]]]]}""";

        AssertRejected(json, ErrorCodes.InvalidMessage);
    }

    [TestMethod]
    [DataRow("null")]
    [DataRow("42")]
    [DataRow("true")]
    [DataRow("\"hello\"")]
    [DataRow("""[{"type":"ping","t":1}]""")]
    public void NonObjectIsReportedAsInvalidMessage(string json) =>
        AssertRejected(json, ErrorCodes.InvalidMessage);

    [TestMethod]
    [DataRow("{}")]
    [DataRow("""{"token":"jwt"}""")]
    [DataRow("""{"Type":"ping","t":1}""")]
    [DataRow("""{"type":null,"t":1}""")]
    [DataRow("""{"type":1,"t":1}""")]
    [DataRow("""{"type":true}""")]
    [DataRow("""{"type":["ping"],"t":1}""")]
    [DataRow("""{"type":{"name":"ping"},"t":1}""")]
    public void MissingOrNonStringTypeIsReportedAsInvalidMessage(string json) =>
        AssertRejected(json, ErrorCodes.InvalidMessage);

    [TestMethod]
    [DataRow("""{"type":"shout"}""")]
    [DataRow("""{"type":""}""")]
    [DataRow("""{"type":"HELLO","token":"jwt"}""")]
    [DataRow("""{"type":"welcome","sessionId":"s"}""")]
    [DataRow("""{"type":"pong","t":1}""")]
    public void UnknownTypeIsReportedAsUnknownType(string json) =>
        AssertRejected(json, ErrorCodes.UnknownType);

    [TestMethod]
    [DataRow("""{"type":"hello"}""")]
    [DataRow("""{"type":"prompt","id":"p1"}""")]
    [DataRow("""{"type":"prompt","text":"hi"}""")]
    [DataRow("""{"type":"ack"}""")]
    [DataRow("""{"type":"refresh"}""")]
    [DataRow("""{"type":"ping"}""")]
    public void MissingRequiredFieldIsReportedAsInvalidMessage(string json) =>
        AssertRejected(json, ErrorCodes.InvalidMessage);

    [TestMethod]
    [DataRow("""{"type":"ack","seq":"3"}""")]
    [DataRow("""{"type":"ping","t":"1"}""")]
    [DataRow("""{"type":"hello","token":"jwt","lastSeq":"2"}""")]
    [DataRow("""{"type":"ack","seq":1.5}""")]
    [DataRow("""{"type":"ack","seq":true}""")]
    [DataRow("""{"type":"ack","seq":99999999999999999999}""")]
    [DataRow("""{"type":"prompt","id":1,"text":"hi"}""")]
    [DataRow("""{"type":"hello","token":42}""")]
    [DataRow("""{"type":"refresh","token":{"jwt":"x"}}""")]
    [DataRow("""{"type":"prompt","id":"p1","text":["hi"]}""")]
    public void WronglyTypedFieldIsReportedAsInvalidMessage(string json) =>
        AssertRejected(json, ErrorCodes.InvalidMessage);

    [TestMethod]
    [DataRow("""{"type":"hello","token":null}""")]
    [DataRow("""{"type":"prompt","id":null,"text":"hi"}""")]
    [DataRow("""{"type":"prompt","id":"p1","text":null}""")]
    [DataRow("""{"type":"ack","seq":null}""")]
    [DataRow("""{"type":"refresh","token":null}""")]
    [DataRow("""{"type":"ping","t":null}""")]
    public void NullForANonNullableFieldIsReportedAsInvalidMessage(string json) =>
        AssertRejected(json, ErrorCodes.InvalidMessage);

    [TestMethod]
    [DataRow("""{"type":"ping","t":1,"extra":0}""")]
    [DataRow("""{"type":"ack","seq":1,"seq2":2}""")]
    [DataRow("""{"type":"hello","token":"jwt","sessionID":"s1"}""")]
    [DataRow("""{"type":"prompt","id":"p1","text":"hi","kind":"message"}""")]
    public void UnknownPropertyIsReportedAsInvalidMessage(string json) =>
        AssertRejected(json, ErrorCodes.InvalidMessage);

    [TestMethod]
    public void ErrorDescriptionDoesNotEchoTheFrame()
    {
        var result = Parse("""{"type":"<script>alert(1)</script>","x":"secret-token"}""");

        Assert.AreEqual(ErrorCodes.UnknownType, result.ErrorCode);
        Assert.DoesNotContain("<script>", result.Error!);
        Assert.DoesNotContain("secret-token", result.Error!);
    }

    private static ClientFrameParse Parse(string json) => ClientFrameParser.Parse(Encoding.UTF8.GetBytes(json));

    private static void AssertRejected(string json, string expectedCode)
    {
        var result = Parse(json);

        Assert.IsFalse(result.IsValid, $"Parsed as {result.Message}");
        Assert.IsNull(result.Message);
        Assert.AreEqual(expectedCode, result.ErrorCode, result.Error);
        Assert.IsFalse(string.IsNullOrWhiteSpace(result.Error));
    }
}
