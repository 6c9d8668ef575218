namespace AspireResilience.TestSupport.Sessions;

/// <summary>What a session delivered breaks the delivery contract (a gap, a repeat, an ended session).</summary>
public sealed class DeliveryContractException(string message) : Exception(message);
