namespace AspireResilience.Backend.Auth;

/// <summary>Why a token was not accepted (<see cref="None"/>: it was).</summary>
public enum TokenFailure { None, Expired, Invalid, Revoked }
