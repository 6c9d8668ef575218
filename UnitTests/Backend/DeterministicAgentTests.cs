using AspireResilience.Backend.Agents;
using Microsoft.Extensions.Options;

namespace AspireResilience.UnitTests.Backend;

[TestClass]
public sealed class DeterministicAgentTests
{
    [TestMethod]
    public void SameRequestGivesTheSameChunksInAnotherInstance()
    {
        var request = new AgentRequest("Why do sessions resume?", 2);

        var first = Agent(chunkCount: 12).Answer(request);
        var second = Agent(chunkCount: 12).Answer(request);

        CollectionAssert.AreEqual(first.ToArray(), second.ToArray());
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(20)]
    [DataRow(500)]
    public void ChunkCountFollowsTheOptions(int chunkCount)
    {
        var chunks = Agent(chunkCount).Answer(new AgentRequest("count me", 0));

        Assert.HasCount(chunkCount, chunks);
        Assert.IsTrue(chunks.All(c => c.Length > 0));
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-3)]
    public void NonPositiveChunkCountStillAnswersWithOneChunk(int chunkCount) =>
        Assert.HasCount(1, Agent(chunkCount).Answer(new AgentRequest("count me", 0)));

    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(7)]
    public void FirstChunkNamesTheHistoryCount(int history)
    {
        var chunks = Agent(chunkCount: 3).Answer(new AgentRequest("follow-up", history));

        Assert.AreEqual($"[context: {history} earlier messages] ", chunks[0]);
    }

    [TestMethod]
    public void HistoryChangesOnlyTheFirstChunk()
    {
        var agent = Agent(chunkCount: 8);

        var before = agent.Answer(new AgentRequest("same prompt", 0));
        var after = agent.Answer(new AgentRequest("same prompt", 4));

        Assert.AreNotEqual(before[0], after[0]);
        CollectionAssert.AreEqual(before.Skip(1).ToArray(), after.Skip(1).ToArray());
    }

    [TestMethod]
    public void DifferentPromptsGiveDifferentAnswers()
    {
        var agent = Agent(chunkCount: 10);
        var answers = new[] { "a", "b", "resume", "resume ", "Resume", "" }
            .Select(p => string.Concat(agent.Answer(new AgentRequest(p, 0)).Skip(1)))
            .ToArray();

        Assert.HasCount(answers.Length, answers.Distinct());
    }

    [TestMethod]
    public void AnswerToAKnownPromptIsPinned()
    {
        // The text must not change between processes, machines or .NET versions: a run resumed
        // by another backend continues the same answer.
        var chunks = Agent(chunkCount: 3).Answer(new AgentRequest("hello", 1));

        Assert.HasCount(3, chunks);
        Assert.AreEqual("[context: 1 earlier messages] ", chunks[0]);
        Assert.AreEqual("latency backoff replay ", chunks[1]);
        Assert.AreEqual("outbox stream backoff ", chunks[2]);
    }

    private static DeterministicAgent Agent(int chunkCount) =>
        new(Options.Create(new AgentOptions { ChunkCount = chunkCount }));
}
