namespace AspireResilience.UnitTests.ChaosProxy;

/// <summary>Bounds for every await in the ChaosProxy tests (generous: a busy 2-core machine).</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);
}
