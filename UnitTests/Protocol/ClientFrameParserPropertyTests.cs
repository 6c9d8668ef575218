using System.Text;
using AspireResilience.Protocol;
using CsCheck;

namespace AspireResilience.UnitTests.Protocol;

/// <summary>
/// Whatever a peer sends, <see cref="ClientFrameParser.Parse"/> answers with a message or one
/// of the three documented codes — it never throws, so a hostile frame can cost a strike but
/// never the connection's receive loop.
/// </summary>
[TestClass]
public sealed class ClientFrameParserPropertyTests
{
    private static readonly string[] ParseErrorCodes = [ErrorCodes.InvalidJson, ErrorCodes.InvalidMessage, ErrorCodes.UnknownType];

    private static readonly string[] ValidFrames =
    [
        """{"type":"hello","token":"jwt","sessionId":"s1","lastSeq":3,"epoch":"e","traceparent":"tp"}""",
        """{"type":"prompt","id":"p1","text":"hi"}""",
        """{"type":"ack","seq":12}""",
        """{"type":"refresh","token":"jwt"}""",
        """{"type":"ping","t":1}""",
    ];

    // Pieces of JSON that sit near the valid frames, so the generator reaches the typed
    // deserializer and the classifier, not only the tokenizer.
    private static readonly Gen<string> JsonishFrames = Gen.OneOf(
            "{", "}", "[", "]", ":", ",", " ", "\"type\"", "\"hello\"", "\"prompt\"", "\"ack\"", "\"ping\"",
            "\"refresh\"", "\"token\"", "\"seq\"", "\"t\"", "\"id\"", "\"text\"", "\"lastSeq\"", "\"x\"",
            "0", "-1", "1.5", "1e400", "99999999999999999999", "null", "true", "\"\\u0000\"", "\"\\ud800\"",
            "\"\\u00e9\"", "\"\\\"\"", "\"$type\"", "\"$id\"", "\"$ref\"")
        .Array[0, 24]
        .Select(parts => string.Concat(parts));

    private static readonly Gen<byte[]> MutatedValidFrames =
        Gen.Select(Gen.Int[0, ValidFrames.Length - 1], Gen.Int[0, 200], Gen.Byte, Gen.Int[0, 2],
            (frame, position, value, operation) =>
            {
                var bytes = Encoding.UTF8.GetBytes(ValidFrames[frame]).ToList();
                var at = position % (bytes.Count + 1);
                switch (operation)
                {
                    case 0 when at < bytes.Count: bytes[at] = value; break;
                    case 1 when at < bytes.Count: bytes.RemoveAt(at); break;
                    default: bytes.Insert(at, value); break;
                }
                return bytes.ToArray();
            });

    [TestMethod]
    public void ArbitraryBytesNeverThrow() =>
        Gen.Byte.Array[0, 256].Sample(AssertParsesOrNamesADocumentedError, iter: 20_000);

    [TestMethod]
    public void ArbitraryStringsNeverThrow() =>
        Gen.String.Sample(text => AssertParsesOrNamesADocumentedError(Encoding.UTF8.GetBytes(text)), iter: 20_000);

    [TestMethod]
    public void JsonLikeFramesNeverThrow() =>
        JsonishFrames.Sample(text => AssertParsesOrNamesADocumentedError(Encoding.UTF8.GetBytes(text)), iter: 20_000);

    [TestMethod]
    public void FramesWithAStrayByteNeverThrow() =>
        MutatedValidFrames.Sample(AssertParsesOrNamesADocumentedError, iter: 20_000);

    [TestMethod]
    public void ObjectsWithAnArbitraryTypeNeverThrow() =>
        Gen.Byte.Array[0, 16].Sample(type =>
        {
            byte[] frame = [.. "{\"type\":\""u8, .. type, .. "\",\"t\":1}"u8];
            AssertParsesOrNamesADocumentedError(frame);
        }, iter: 20_000);

    private static void AssertParsesOrNamesADocumentedError(byte[] frame)
    {
        var result = ClientFrameParser.Parse(frame);

        if (result.Message is not null)
        {
            Assert.IsNull(result.ErrorCode);
            return;
        }
        Assert.Contains(result.ErrorCode!, ParseErrorCodes);
        Assert.IsFalse(string.IsNullOrEmpty(result.Error));
    }
}
