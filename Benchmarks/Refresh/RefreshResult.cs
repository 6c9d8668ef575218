using HdrHistogram;

namespace AspireResilience.Benchmarks.Refresh;

/// <summary>One run of in-band refreshes: the client's and the Backend's spans (µs), and what went wrong.</summary>
internal sealed record RefreshResult(LongHistogram Client, LongHistogram Backend, long Confirmed, int Disconnects, int Rejected, bool Passed);
