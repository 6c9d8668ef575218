namespace AspireResilience.TestSupport.Soak;

/// <summary>
/// Recovery from one kind of fault, from spans: every <c>client.reconnect</c> span of a soak
/// session that started while a fault of this kind was the latest one. Drop → resumed is the
/// span's duration; fault → resumed runs from the <c>soak.fault</c> span's start to the
/// reconnect span's end. Null percentiles: no client had to reconnect.
/// </summary>
public sealed record KindRecovery(FaultKind Kind, int Injected, int Reconnects,
    double? DropToResumedP50, double? DropToResumedP99, double? FaultToResumedP50, double? FaultToResumedP99);
