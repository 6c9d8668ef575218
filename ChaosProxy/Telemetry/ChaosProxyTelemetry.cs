using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireResilience.ChaosProxy.Toxics;

namespace AspireResilience.ChaosProxy.Telemetry;

/// <summary>The ActivitySource and Meter <c>AspireResilience.ChaosProxy</c> and their instruments.</summary>
internal sealed class ChaosProxyTelemetry : IDisposable
{
    public const string Name = "AspireResilience.ChaosProxy";

    private static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _openConnections;
    private readonly Counter<long> _acceptedConnections;
    private readonly Counter<long> _cutConnections;
    private readonly Counter<long> _bytes;

    public ChaosProxyTelemetry(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(Name) ?? new Meter(Name);
        _openConnections = _meter.CreateUpDownCounter<long>("chaosproxy.connections.open", "{connection}", "Open proxied connections.");
        _acceptedConnections = _meter.CreateCounter<long>("chaosproxy.connections.accepted", "{connection}", "Accepted client connections.");
        _cutConnections = _meter.CreateCounter<long>("chaosproxy.connections.cut", "{connection}", "Connections closed or reset by the proxy.");
        _bytes = _meter.CreateCounter<long>("chaosproxy.bytes", "By", "Bytes delivered, by proxy and direction.");
    }

    public void ConnectionOpened(string proxy)
    {
        _acceptedConnections.Add(1, new KeyValuePair<string, object?>("proxy", proxy));
        _openConnections.Add(1, new KeyValuePair<string, object?>("proxy", proxy));
    }

    public void ConnectionClosed(string proxy) => _openConnections.Add(-1, new KeyValuePair<string, object?>("proxy", proxy));

    public void BytesDelivered(string proxy, ToxicStream stream, long count)
    {
        if (_bytes.Enabled)
        {
            _bytes.Add(count, new("proxy", proxy), new("direction", ToxicCatalog.Format(stream)));
        }
    }

    /// <summary>Records a cut (close or reset by the proxy) as a counter and a short span.</summary>
    public void ConnectionCut(string proxy, string kind, string reason)
    {
        _cutConnections.Add(1, new("proxy", proxy), new("kind", kind));
        using var activity = Source.StartActivity("chaosproxy connection " + kind);
        activity?.SetTag("chaosproxy.proxy", proxy);
        activity?.SetTag("chaosproxy.reason", reason);
    }

    /// <summary>Starts a span for a control operation (toxic add/update/remove, reset, enable...).</summary>
    public static Activity? StartOperation(string operation, string? proxy, Toxic? toxic = null)
    {
        var activity = Source.StartActivity("chaosproxy " + operation);
        if (activity is not null)
        {
            activity.SetTag("chaosproxy.proxy", proxy);
            if (toxic is not null)
            {
                activity.SetTag("chaosproxy.toxic.name", toxic.Name);
                activity.SetTag("chaosproxy.toxic.type", toxic.Type);
                activity.SetTag("chaosproxy.toxic.stream", ToxicCatalog.Format(toxic.Stream));
                activity.SetTag("chaosproxy.toxic.toxicity", toxic.Toxicity);
            }
        }

        return activity;
    }

    public void Dispose() => _meter.Dispose();
}
