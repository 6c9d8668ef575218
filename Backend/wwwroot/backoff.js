// Reconnect delay, as docs/protocol.md "Reconnecting" and the C# ReconnectBackoff.NextDelay:
// full jitter, uniform(0, min(max, base * 2^(attempt - 1))), and at least a 4029's retry-after.
export function nextDelay(attempt, baseMs, maxMs, random, retryAfterMs = 0) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.max(retryAfterMs, Math.floor(random() * ceiling));
}

// The client's reconnect rule per close code (Protocol/CloseCodes.AllowsReconnect).
const final = new Set([1000, 1002, 1003, 1007, 1008, 1009, 4000, 4003, 4008, 4009, 4400]);
export function allowsReconnect(code) {
  return !final.has(code);
}
