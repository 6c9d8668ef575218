using System.Net.WebSockets;
using System.Text;
using AspireResilience.Backend.Gateway;
using AspireResilience.Protocol;

namespace AspireResilience.UnitTests.Backend;

[TestClass]
public sealed class FrameReaderTests
{
    private const int MaxBytes = 64;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly InMemoryWebSocketPair _sockets = new();
    private readonly CancellationTokenSource _timeout = new(Timeout);
    private FrameReader _reader = null!;

    [TestInitialize]
    public void CreateReader() => _reader = new FrameReader(_sockets.Server, MaxBytes);

    [TestCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _sockets.Dispose();
        _timeout.Dispose();
    }

    [TestMethod]
    public async Task TextMessageIsReturnedIntact()
    {
        await SendAsync("""{"type":"ping","t":1}""");

        var frame = await ReadAsync();

        Assert.AreEqual("""{"type":"ping","t":1}""", Text(frame));
        Assert.IsNull(frame.CloseCode);
        Assert.IsFalse(frame.PeerClosed);
    }

    [TestMethod]
    public async Task EmptyTextMessageIsAnEmptyFrame()
    {
        // The reader waits with a zero-byte read; a message with no payload ends right there.
        await SendAsync("");
        await SendAsync("""{"type":"ping","t":2}""");

        Assert.AreEqual("", Text(await ReadAsync()));
        Assert.AreEqual("""{"type":"ping","t":2}""", Text(await ReadAsync()));
    }

    [TestMethod]
    public async Task MessageOfExactlyMaxBytesIsAccepted()
    {
        var text = new string('x', MaxBytes);
        await SendAsync(text);

        var frame = await ReadAsync();

        Assert.AreEqual(text, Text(frame));
    }

    [TestMethod]
    public async Task MessageOneByteOverMaxBytesIsRejectedWith1009()
    {
        await SendAsync(new string('x', MaxBytes + 1));

        Assert.AreEqual(CloseCodes.TooBig, (await ReadAsync()).CloseCode);
    }

    [TestMethod]
    public async Task OversizeMessageInSeveralFramesIsRejectedWith1009()
    {
        for (var i = 0; i < 3; i++)
        {
            await SendAsync(new string('x', 30), endOfMessage: i == 2);
        }

        Assert.AreEqual(CloseCodes.TooBig, (await ReadAsync()).CloseCode);
    }

    [TestMethod]
    public async Task BinaryMessageIsRejectedWith1003()
    {
        await _sockets.Client.SendAsync("{}"u8.ToArray(), WebSocketMessageType.Binary, true, _timeout.Token);

        Assert.AreEqual(CloseCodes.BinaryFrame, (await ReadAsync()).CloseCode);
    }

    [TestMethod]
    public async Task MessageSplitAcrossSeveralFramesIsReassembled()
    {
        // "é" (C3 A9) is cut between two frames: only the whole message must be valid UTF-8.
        var bytes = Encoding.UTF8.GetBytes("""{"type":"prompt","id":"p1","text":"café"}""");
        var cut = Array.IndexOf(bytes, (byte)0xC3) + 1;
        await SendAsync(bytes[..10], endOfMessage: false);
        await SendAsync(bytes[10..cut], endOfMessage: false);
        await SendAsync(bytes[cut..], endOfMessage: true);

        var frame = await ReadAsync();

        Assert.IsNull(frame.CloseCode);
        Assert.AreEqual("""{"type":"prompt","id":"p1","text":"café"}""", Text(frame));
    }

    [TestMethod]
    public async Task ConsecutiveMessagesDoNotBleedIntoEachOther()
    {
        await SendAsync("first message, the longer one");
        await SendAsync("second");

        Assert.AreEqual("first message, the longer one", Text(await ReadAsync()));
        Assert.AreEqual("second", Text(await ReadAsync()));
    }

    [TestMethod]
    public async Task PeerCloseIsReportedAsClosed()
    {
        await _sockets.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", _timeout.Token);

        var frame = await ReadAsync();

        Assert.IsTrue(frame.PeerClosed);
        Assert.IsNull(frame.CloseCode);
    }

    [TestMethod]
    public async Task InvalidUtf8InATextFrameIsRefusedByTheSocketWith1007()
    {
        // The framework's WebSocket validates text frames itself: the reader never sees the bytes,
        // ReceiveAsync throws, and the socket has already sent close 1007 (InvalidPayloadData).
        await SendAsync([(byte)'{', 0xC3, 0x28, (byte)'}']);

        await Assert.ThrowsAsync<WebSocketException>(ReadAsync);

        var answer = await _sockets.Client.ReceiveAsync(new byte[16], _timeout.Token);
        Assert.AreEqual(WebSocketMessageType.Close, answer.MessageType);
        Assert.AreEqual(WebSocketCloseStatus.InvalidPayloadData, answer.CloseStatus);
    }

    [TestMethod]
    public async Task InvalidUtf8DeliveredByTheSocketIsRejectedWith1007()
    {
        using var reader = new FrameReader(new ScriptedWebSocket(
            ([(byte)'{', 0xC3], WebSocketMessageType.Text, false),
            ([0x28, (byte)'}'], WebSocketMessageType.Text, true)), MaxBytes);

        var frame = await reader.ReadAsync(_timeout.Token);

        Assert.AreEqual(CloseCodes.InvalidUtf8, frame.CloseCode);
    }

    private Task<Frame> ReadAsync() => _reader.ReadAsync(_timeout.Token);

    private Task SendAsync(string text, bool endOfMessage = true) => SendAsync(Encoding.UTF8.GetBytes(text), endOfMessage);

    private Task SendAsync(byte[] bytes, bool endOfMessage = true) =>
        _sockets.Client.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage, _timeout.Token);

    private static string Text(Frame frame) => Encoding.UTF8.GetString(frame.Text.Span);
}
