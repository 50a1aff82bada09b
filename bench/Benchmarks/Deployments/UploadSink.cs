using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// The floor of an upload over loopback: an HTTP/1.1 server that reads each request's body to its end (256 KiB per
/// receive, nothing parsed, nothing kept) and speaks just enough of Appwrite's chunked upload protocol for an SDK to
/// finish: every request answers 202 with a Deployment (a real one of the server, as <paramref name="template"/>) whose
/// <c>$id</c> is the upload's (<c>x-appwrite-id</c>, else a new one) and whose <c>chunksUploaded</c> counts the distinct
/// <c>Content-Range</c>s seen for it, <c>chunksTotal</c> from the range's total. Connections are served concurrently and
/// kept alive, as node-appwrite's eight parallel chunks need.
/// </summary>
internal sealed class UploadSink : IAsyncDisposable
{
    private const int ChunkBytes = 5 * 1024 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _uploads = new(StringComparer.Ordinal);
    private readonly JsonObject _template;
    private readonly Task _accepting;
    private int _nextId;

    public UploadSink(JsonObject template)
    {
        _template = template;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(TcpClient socket)
    {
        using (socket)
        {
            try
            {
                socket.NoDelay = true;
                await using var stream = socket.GetStream();
                var buffer = new byte[256 * 1024];
                var held = 0; // bytes of the next request already read with the previous one
                while (!_stop.IsCancellationRequested)
                {
                    var (headers, bodyStart, total) = await ReadHeadAsync(stream, buffer, held);
                    if (headers is null)
                    {
                        return;
                    }

                    var length = long.Parse(Header(headers, "content-length") ?? throw new InvalidDataException("The sink needs Content-Length."), CultureInfo.InvariantCulture);
                    var inBuffer = total - bodyStart;
                    var remaining = length - inBuffer;
                    held = 0;
                    if (remaining < 0)
                    {
                        // Pipelined: part of the next request came with this body's end.
                        held = (int)-remaining;
                        Buffer.BlockCopy(buffer, (int)(bodyStart + length), buffer, 0, held);
                        remaining = 0;
                    }

                    int read;
                    while (remaining > 0 && (read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), _stop.Token)) > 0)
                    {
                        remaining -= read;
                    }

                    var body = Encoding.UTF8.GetBytes(Answer(headers).ToJsonString());
                    var head = Encoding.ASCII.GetBytes($"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
                    await stream.WriteAsync(head, _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
                // The client closed the connection, or the sink stopped.
            }
        }
    }

    /// <summary>The Deployment answer of one request: the template with this upload's id and chunk counts.</summary>
    private JsonObject Answer(string headers)
    {
        var answer = (JsonObject)_template.DeepClone();
        var id = Header(headers, "x-appwrite-id") ?? $"sink{Interlocked.Increment(ref _nextId)}";
        answer["$id"] = id;
        if (Header(headers, "content-range") is { } range)
        {
            var chunks = _uploads.GetOrAdd(id, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
            chunks.TryAdd(range, 0);
            var total = long.Parse(range[(range.IndexOf('/') + 1)..], CultureInfo.InvariantCulture);
            answer["chunksTotal"] = (int)((total + ChunkBytes - 1) / ChunkBytes);
            answer["chunksUploaded"] = chunks.Count;
        }

        return answer;
    }

    /// <summary>Reads up to the blank line after the headers; null headers when the client closed the connection.</summary>
    private async Task<(string? Headers, int BodyStart, int Total)> ReadHeadAsync(NetworkStream stream, byte[] buffer, int total)
    {
        while (true)
        {
            var end = buffer.AsSpan(0, total).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (Encoding.ASCII.GetString(buffer, 0, end), end + 4, total);
            }

            if (total == buffer.Length)
            {
                throw new InvalidDataException("Request headers too long for the sink.");
            }

            var read = await stream.ReadAsync(buffer.AsMemory(total), _stop.Token);
            if (read == 0)
            {
                return (null, 0, 0);
            }

            total += read;
        }
    }

    private static string? Header(string headers, string name)
    {
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }
}
