using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.Runtime.Processes;

/// <summary>One reply of an adapter: the function's status, headers and body, with the call's logs and errors, and how long
/// the request ran in the adapter (its start to its reply, measured there).</summary>
internal sealed record AdapterReply(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, string Logs, string Errors, bool BodyTruncated)
{
    public TimeSpan RunTime { get; init; }
}

/// <summary>One request written to an adapter: its reply, and its turn (the reply of the request written before it).</summary>
internal sealed record AdapterExchange(Task Turn, Task<AdapterReply> Reply);

/// <summary>
/// The executor's end of one adapter connection (a Unix socket). Both directions use one frame:
/// u32 BE head length, u32 BE payload length, head (UTF-8 fields joined by NUL), payload.
/// Request head: request id, method, target, header name/value pairs; payload = body. Reply head: the request's id,
/// status, logs length, errors length, body-truncated flag (0/1), run time in µs, header pairs; payload = logs + errors + body.
/// Replies carry the id because a process with per-process concurrency answers requests in the order they finish; one
/// reader loop hands each reply to its caller. Cheaper than HTTP at both ends, and for node it avoids compiling the HTTP
/// parser on the first request of every process.
/// </summary>
internal sealed class AdapterChannel : IDisposable
{
    private const int PrefixBytes = 8;
    private const int MaxHeadBytes = 256 * 1024;
    private const int ReplyFixedFields = 6;
    private const long LoadRequestId = 0;

    private readonly NetworkStream _stream;
    private readonly int _maxPayloadBytes;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, TaskCompletionSource<AdapterReply>> _pending = new();
    private long _nextId;
    private Task _lastReply = Task.CompletedTask;
    private volatile Exception? _broken;

    private AdapterChannel(Socket socket, int maxPayloadBytes)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        _maxPayloadBytes = maxPayloadBytes;
        _ = ReadRepliesAsync();
    }

    public static async Task<AdapterChannel> ConnectAsync(string socketPath, int maxPayloadBytes, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            return new AdapterChannel(socket, maxPayloadBytes);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Requests waiting for their reply.</summary>
    public int InFlight => _pending.Count;

    /// <summary>
    /// Sends one request and waits for its reply. IOException: the connection broke (every waiting request gets it);
    /// InvalidDataException: a malformed reply. Cancelling abandons the wait only; the caller decides the process's fate.
    /// </summary>
    public async Task<AdapterReply> ExchangeAsync(RuntimeRequest request, CancellationToken cancellationToken)
    {
        var exchange = await SendAsync(request);
        return await exchange.Reply.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Writes one request and returns its exchange: the reply, and its turn (the reply of the request written just before
    /// it). An adapter serving one request at a time runs them in the order written, so a request starts when its turn
    /// completes; a turn that fails means the connection broke before the request could start.
    /// </summary>
    public async Task<AdapterExchange> SendAsync(RuntimeRequest request)
    {
        var id = Interlocked.Increment(ref _nextId);
        return await SendFrameAsync(id, EncodeRequest(id, request));
    }

    private async Task<AdapterExchange> SendFrameAsync(long id, byte[] frame)
    {
        // Completed by the reader (or the break) whatever becomes of the caller: later requests take their turn from it.
        var reply = new TaskCompletionSource<AdapterReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await _writer.WaitAsync();
        Task turn;
        try
        {
            if (_broken is { } broken)
            {
                throw broken;
            }

            turn = _lastReply;
            _lastReply = reply.Task;
            await _stream.WriteAsync(frame);
        }
        catch (Exception ex)
        {
            _pending.TryRemove(id, out _);
            var failure = ex as IOException ?? new IOException(ex.Message, ex);
            reply.TrySetException(failure);
            throw failure;
        }
        finally
        {
            _writer.Release();
        }

        return new AdapterExchange(turn, reply.Task);
    }

    /// <summary>
    /// Specializes a generic adapter (the first and only frame of its kind on the connection): head <c>0</c>, <c>FP-LOAD</c>,
    /// the entrypoint (a sandbox path), the per-process concurrency, the memory limit in MB, then the environment's name/value
    /// pairs. The adapter answers id 0: status 200 once the entrypoint is loaded, else 500 with the load error in the errors
    /// part. Request ids start at 1, so the reply cannot be taken for a request's.
    /// </summary>
    public async Task<AdapterReply> LoadAsync(string entrypoint, int concurrency, int memoryMb, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var exchange = await SendLoadAsync(entrypoint, concurrency, memoryMb, environment);
        return await exchange.Reply.WaitAsync(cancellationToken);
    }

    /// <summary>Writes the specialization frame (see <see cref="LoadAsync"/>) and returns its exchange without waiting for the answer.</summary>
    public Task<AdapterExchange> SendLoadAsync(string entrypoint, int concurrency, int memoryMb, IReadOnlyDictionary<string, string> environment)
    {
        var head = new StringBuilder().Append("0\0FP-LOAD\0").Append(entrypoint).Append('\0')
            .Append(concurrency.ToString(CultureInfo.InvariantCulture)).Append('\0').Append(memoryMb.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in environment)
        {
            // NUL would split a field; environment entries cannot hold one anyway.
            if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
            {
                continue;
            }

            head.Append('\0').Append(name).Append('\0').Append(value);
        }

        var headBytes = Encoding.UTF8.GetBytes(head.ToString());
        var frame = new byte[PrefixBytes + headBytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)headBytes.Length);
        headBytes.CopyTo(frame, PrefixBytes);
        return SendFrameAsync(LoadRequestId, frame);
    }

    public void Dispose()
    {
        _stream.Dispose();
        _writer.Dispose();
    }

    private async Task ReadRepliesAsync()
    {
        var prefix = new byte[PrefixBytes];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(prefix);
                var headLength = BinaryPrimitives.ReadUInt32BigEndian(prefix);
                var payloadLength = BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(4));
                if (headLength > MaxHeadBytes || payloadLength > _maxPayloadBytes)
                {
                    throw new InvalidDataException("The runtime adapter sent an oversized reply.");
                }

                var frame = new byte[headLength + payloadLength];
                await _stream.ReadExactlyAsync(frame);
                var (id, reply) = DecodeReply(frame, (int)headLength);
                if (_pending.TryRemove(id, out var waiting))
                {
                    waiting.TrySetResult(reply);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ObjectDisposedException or EndOfStreamException or SocketException)
        {
            _broken = ex is IOException or InvalidDataException ? ex : new IOException(ex.Message, ex);
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var waiting))
                {
                    waiting.TrySetException(_broken);
                }
            }
        }
    }

    private static byte[] EncodeRequest(long id, RuntimeRequest request)
    {
        var target = string.IsNullOrEmpty(request.Path) ? "/" : request.Path[0] == '/' ? request.Path : "/" + request.Path;
        var head = new StringBuilder().Append(id.ToString(CultureInfo.InvariantCulture)).Append('\0').Append(request.Method).Append('\0').Append(target);
        foreach (var (name, value) in request.Headers)
        {
            // The adapter has the body's length from the frame; NUL would split a field (HTTP allows it in neither).
            if (name.StartsWith("x-fp-", StringComparison.OrdinalIgnoreCase) || name.Contains('\0', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
            {
                continue;
            }

            head.Append('\0').Append(name.ToLowerInvariant()).Append('\0').Append(value);
        }

        var headBytes = Encoding.UTF8.GetBytes(head.ToString());
        var frame = new byte[PrefixBytes + headBytes.Length + request.Body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)headBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)request.Body.Length);
        headBytes.CopyTo(frame, PrefixBytes);
        request.Body.Span.CopyTo(frame.AsSpan(PrefixBytes + headBytes.Length));
        return frame;
    }

    private static (long Id, AdapterReply Reply) DecodeReply(byte[] frame, int headLength)
    {
        var fields = Encoding.UTF8.GetString(frame, 0, headLength).Split('\0');
        if (fields.Length < ReplyFixedFields || (fields.Length - ReplyFixedFields) % 2 != 0
            || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status is < 100 or > 999
            || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var logLength)
            || !int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var errorLength)
            || !long.TryParse(fields[5], NumberStyles.None, CultureInfo.InvariantCulture, out var runMicroseconds)
            || (long)logLength + errorLength > frame.Length - headLength)
        {
            throw new InvalidDataException("The runtime adapter sent a malformed reply.");
        }

        var headers = new List<KeyValuePair<string, string>>((fields.Length - ReplyFixedFields) / 2);
        for (var i = ReplyFixedFields; i < fields.Length; i += 2)
        {
            // The reply comes from the process that runs user code: never trust it with framing headers.
            var name = fields[i].ToLowerInvariant();
            if (!name.StartsWith("x-fp-", StringComparison.Ordinal) && name is not ("content-length" or "connection" or "keep-alive" or "transfer-encoding" or "date"))
            {
                headers.Add(new(name, fields[i + 1]));
            }
        }

        var logs = Encoding.UTF8.GetString(frame, headLength, logLength);
        var errors = Encoding.UTF8.GetString(frame, headLength + logLength, errorLength);
        var body = frame.AsSpan(headLength + logLength + errorLength).ToArray();
        return (id, new AdapterReply(status, headers, body, logs, errors, fields[4] == "1") { RunTime = TimeSpan.FromTicks(Math.Min(runMicroseconds, TimeSpan.MaxValue.Ticks / 10) * 10) });
    }
}
