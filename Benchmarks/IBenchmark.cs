namespace AspireResilience.Benchmarks;

/// <summary>One benchmark, selected by its verb on the command line.</summary>
internal interface IBenchmark
{
    /// <summary>The command-line verb, e.g. <c>chaosproxy</c>.</summary>
    string Verb { get; }

    /// <summary>One line for the usage text.</summary>
    string Description { get; }

    /// <summary>Runs, prints its report and writes it under <c>artifacts/benchmarks/</c>; returns the exit code.</summary>
    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
