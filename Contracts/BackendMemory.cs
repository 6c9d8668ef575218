namespace AspireResilience.Contracts;

/// <summary>The Backend's answer at <see cref="BackendAdminApi.MemoryPath"/>, in bytes.</summary>
/// <param name="ManagedHeapBytes">Live managed objects after a full compacting collection (<c>GC.GetTotalMemory</c>).</param>
/// <param name="GcHeapSizeBytes">The GC heap's size at that collection, fragmentation included (<c>GCMemoryInfo.HeapSizeBytes</c>).</param>
/// <param name="GcCommittedBytes">Memory the GC has committed (<c>GCMemoryInfo.TotalCommittedBytes</c>).</param>
/// <param name="WorkingSetBytes">The process' resident memory (<c>Environment.WorkingSet</c>).</param>
public sealed record BackendMemory(long ManagedHeapBytes, long GcHeapSizeBytes, long GcCommittedBytes, long WorkingSetBytes);
