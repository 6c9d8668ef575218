using Microsoft.Extensions.Options;

namespace AspireResilience.UnitTests.AuthService;

/// <summary>A fixed <see cref="IOptionsMonitor{TOptions}"/> for constructing services directly.</summary>
internal sealed class TestOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
