using AspireResilience.Backend.Agents;
using AspireResilience.Backend.Sessions;
using StackExchange.Redis;

namespace AspireResilience.UnitTests.Backend;

/// <summary>The one parser per script: every status word maps to a typed result, anything else is a bug.</summary>
[TestClass]
public sealed class ScriptReplyParsingTests
{
    [TestMethod]
    public void RunScriptStatusWordsMapToTypedResults()
    {
        Assert.AreEqual(StartRunResult.Started, RunScripts.ParseStartRun(Reply("started")));
        Assert.AreEqual(StartRunResult.Duplicate, RunScripts.ParseStartRun(Reply("duplicate")));
        Assert.AreEqual(StartRunResult.SessionGone, RunScripts.ParseStartRun(Reply("gone")));
        Assert.AreEqual(StartRunResult.Superseded, RunScripts.ParseStartRun(Reply("superseded")));
        Assert.AreEqual(new AppendResult(AppendStatus.Appended, 42), RunScripts.ParseAppendRunEvent(Reply("ok", 42)));
        Assert.AreEqual(new AppendResult(AppendStatus.LeaseLost), RunScripts.ParseAppendRunEvent(Reply("lease_lost")));
        Assert.AreEqual(new AppendResult(AppendStatus.SessionGone), RunScripts.ParseAppendRunEvent(Reply("gone")));
        Assert.AreEqual(TakeOverResult.TakenOver, RunScripts.ParseTakeOverRun(Reply("taken")));
        Assert.AreEqual(TakeOverResult.LeasedElsewhere, RunScripts.ParseTakeOverRun(Reply("leased")));
        Assert.AreEqual(TakeOverResult.FinishedOrGone, RunScripts.ParseTakeOverRun(Reply("finished")));
    }

    [TestMethod]
    public void SessionScriptStatusWordsMapToTypedResults()
    {
        Assert.AreEqual(new AttachResult(AttachStatus.Resumed, 7, "e1"), SessionScripts.ParseAttach(Reply("ok", 7, "e1")));
        Assert.AreEqual(new AttachResult(AttachStatus.Ahead, 7), SessionScripts.ParseAttach(Reply("ahead", 7)));
        Assert.AreEqual(new AttachResult(AttachStatus.Gap, 7), SessionScripts.ParseAttach(Reply("gap", 7)));
        Assert.AreEqual(new AttachResult(AttachStatus.Expired), SessionScripts.ParseAttach(Reply("expired")));
        Assert.AreEqual(new AttachResult(AttachStatus.Forbidden), SessionScripts.ParseAttach(Reply("forbidden")));
        Assert.AreEqual(new AttachResult(AttachStatus.Unknown), SessionScripts.ParseAttach(Reply("unknown")));
        Assert.IsTrue(SessionScripts.ParseCreate(Reply("created")));
        Assert.IsFalse(SessionScripts.ParseCreate(Reply("exists")));
        Assert.IsTrue(SessionScripts.ParseTouch(Reply("ok")));
        Assert.IsFalse(SessionScripts.ParseTouch(Reply("superseded")));
        Assert.AreEqual(AckResult.Trimmed, SessionScripts.ParseAck(Reply("ok")));
        Assert.AreEqual(AckResult.Ahead, SessionScripts.ParseAck(Reply("ahead")));
        Assert.AreEqual(AckResult.Superseded, SessionScripts.ParseAck(Reply("superseded")));
    }

    [TestMethod]
    public void AReplyNoParserKnowsThrowsInsteadOfBeingGuessed()
    {
        // The old integer answers are exactly what must not slip through as a default.
        var integer = RedisResult.Create((RedisValue)1);
        Assert.ThrowsExactly<InvalidOperationException>(() => RunScripts.ParseStartRun(integer));
        Assert.ThrowsExactly<InvalidOperationException>(() => RunScripts.ParseAppendRunEvent(Reply("-1")));
        Assert.ThrowsExactly<InvalidOperationException>(() => RunScripts.ParseTakeOverRun(Reply("ok")));
        Assert.ThrowsExactly<InvalidOperationException>(() => SessionScripts.ParseAttach(Reply("resumed")));
        Assert.ThrowsExactly<InvalidOperationException>(() => SessionScripts.ParseAck(Reply("")));
    }

    private static RedisResult Reply(string status, params RedisValue[] values) =>
        RedisResult.Create([RedisResult.Create((RedisValue)status), .. values.Select(v => RedisResult.Create(v))]);
}
