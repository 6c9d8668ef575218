using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using AspireResilience.ChaosProxy.Toxics;

namespace AspireResilience.ChaosProxy.Proxies;

/// <summary>
/// The byte pump for one direction (after YARP's <c>StreamCopier</c>): a read loop stamps each
/// chunk and queues it, a write loop runs it through the direction's current toxics and sends
/// it. The queue lets a delaying toxic hold chunks without stopping reads (latency is added,
/// not multiplied); it is bounded, so a holding toxic back-pressures the source. With no toxic
/// waiting, the write loop runs inline in the read loop (synchronous continuations), so the
/// plain path costs one receive and one send.
/// </summary>
internal sealed class StreamCopier : IChunkSink
{
    public const int BufferSize = 64 * 1024;
    private const int QueueCapacity = 8;

    private readonly Proxy _proxy;
    private readonly Socket _source;
    private readonly Socket _destination;
    private readonly ToxicStream _stream;
    private readonly ToxicPipeline _pipeline;
    private readonly CancellationTokenSource _stop;
    private long _endTimestamp;

    public StreamCopier(Proxy proxy, ProxyConnection connection, Socket source, Socket destination, ToxicStream stream)
    {
        _proxy = proxy;
        _source = source;
        _destination = destination;
        _stream = stream;
        _pipeline = new ToxicPipeline(connection, connection.Attachments, this);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(connection.Closed);
    }

    /// <summary>Pumps until EOF was propagated, a side failed, or the connection was ended.</summary>
    public async Task<StreamCopyResult> RunAsync()
    {
        var queue = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        try
        {
            var writing = WriteLoopAsync(queue.Reader, _stop.Token);
            var readResult = await ReadLoopAsync(queue.Writer, _stop.Token);
            var writeResult = await writing;
            return readResult == StreamCopyResult.InputError ? readResult : writeResult;
        }
        finally
        {
            while (queue.Reader.TryRead(out var left))
            {
                ArrayPool<byte>.Shared.Return(left.Buffer);
            }

            // _stop is not disposed: the connection may still cancel it concurrently; it dies with the connection.
        }
    }

    private async Task<StreamCopyResult> ReadLoopAsync(ChannelWriter<Chunk> queue, CancellationToken cancellationToken)
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                var read = await _source.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, cancellationToken);
                var timestamp = _proxy.Environment.TimeProvider.GetTimestamp();
                if (read == 0)
                {
                    _endTimestamp = timestamp;
                    return StreamCopyResult.Success;
                }

                var chunk = new Chunk(buffer, read, timestamp);
                if (!queue.TryWrite(chunk))
                {
                    await queue.WriteAsync(chunk, cancellationToken);
                }

                buffer = null;
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            return StreamCopyResult.Canceled;
        }
        catch (Exception exception) when (exception is SocketException or IOException or ObjectDisposedException)
        {
            // Stop the write loop before it can see the end of the queue: a reset must not become a FIN.
            await _stop.CancelAsync();
            return StreamCopyResult.InputError;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            queue.TryComplete();
        }
    }

    private async Task<StreamCopyResult> WriteLoopAsync(ChannelReader<Chunk> queue, CancellationToken cancellationToken)
    {
        try
        {
            while (await queue.WaitToReadAsync(cancellationToken))
            {
                while (queue.TryRead(out var chunk))
                {
                    try
                    {
                        var toxics = _proxy.Toxics.For(_stream);
                        if (toxics.IsEmpty)
                        {
                            await WriteAsync(chunk.Memory, cancellationToken);
                        }
                        else
                        {
                            await _pipeline.WriteAsync(toxics, chunk.Memory, chunk.Timestamp, cancellationToken);
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(chunk.Buffer);
                    }
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            var endToxics = _proxy.Toxics.For(_stream);
            if (endToxics.IsEmpty)
            {
                await CompleteAsync(cancellationToken);
            }
            else
            {
                await _pipeline.CompleteAsync(endToxics, _endTimestamp, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return StreamCopyResult.Success;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            return StreamCopyResult.Canceled;
        }
        catch (Exception exception) when (exception is SocketException or IOException or ObjectDisposedException)
        {
            await _stop.CancelAsync();
            return StreamCopyResult.OutputError;
        }
        catch
        {
            // Never leave the read loop blocked on a queue nobody drains.
            await _stop.CancelAsync();
            throw;
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var count = data.Length;
        while (!data.IsEmpty)
        {
            var sent = await _destination.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }

        _proxy.CountBytes(_stream, count);
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _destination.Shutdown(SocketShutdown.Send);
        return ValueTask.CompletedTask;
    }
}
