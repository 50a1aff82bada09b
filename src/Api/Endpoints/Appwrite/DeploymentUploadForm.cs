using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Common.Errors;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>
/// The multipart body of a deployment upload as it arrives: <c>code</c> (the archive or one chunk of it), <c>activate</c>,
/// <c>entrypoint</c>, <c>commands</c>, in any order. <see cref="OpenAsync"/> reads up to the <c>code</c> part and leaves
/// the request there; the handler streams the part's bytes straight to where they are kept, then reads the fields behind
/// it (node-appwrite sends <c>activate</c> after <c>code</c>). Nothing is spooled, nothing held in memory but the fields.
/// </summary>
public sealed class DeploymentUploadForm : IDeploymentUploadBody
{
    /// <summary>The text fields are short (entrypoint ≤ 1028, commands ≤ 8192 characters); more than this is refused unread.</summary>
    private const int MaxFieldBytes = 64 * 1024;
    private const int MaxParts = 16;

    /// <summary>Bytes the reader pulls from the connection at once: 4 KiB (its default) costs a read call per 4 KiB of archive.</summary>
    private const int ReadBufferBytes = 64 * 1024;

    private readonly MultipartReader _reader;
    private bool _activate;
    private string? _entrypoint;
    private string? _commands;
    private int _parts;

    private DeploymentUploadForm(MultipartReader reader) => _reader = reader;

    public string? FileName { get; private set; }

    public Stream Code { get; private set; } = Stream.Null;

    /// <summary>Reads the fields before the archive and stops at its first byte; 400 for a body that is no form or has no <c>code</c>.</summary>
    public static async Task<DeploymentUploadForm> OpenAsync(HttpRequest request, CancellationToken ct)
    {
        var boundary = MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value
            : null;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200)
        {
            throw new ValidationException("code", "The body must be multipart/form-data with a boundary.");
        }

        var form = new DeploymentUploadForm(new MultipartReader(boundary, request.Body, ReadBufferBytes) { HeadersLengthLimit = 16 * 1024 });
        await Malformed(async () =>
        {
            while (await form.NextSectionAsync(ct) is { } section)
            {
                if (await form.ReadPartAsync(section, ct))
                {
                    return;
                }
            }

            throw new ValidationException("code", "Param \"code\" is not optional.");
        });
        return form;
    }

    public async Task<DeploymentUploadFields> ReadFieldsAsync(CancellationToken ct)
    {
        await Malformed(async () =>
        {
            while (await NextSectionAsync(ct) is { } section)
            {
                if (await ReadPartAsync(section, ct))
                {
                    throw new ValidationException("code", "The form has more than one code part.");
                }
            }
        });
        return new DeploymentUploadFields(_activate, NullIfEmpty(_entrypoint), NullIfEmpty(_commands));
    }

    private async Task<MultipartSection?> NextSectionAsync(CancellationToken ct)
    {
        var section = await _reader.ReadNextSectionAsync(ct);
        if (section is not null && ++_parts > MaxParts)
        {
            throw new ValidationException("code", $"The form has more than {MaxParts} parts.");
        }

        return section;
    }

    /// <summary>Reads a field into its place, or takes a <c>code</c> part as the archive (true): its bytes stay in the request.</summary>
    private async Task<bool> ReadPartAsync(MultipartSection section, CancellationToken ct)
    {
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new ValidationException("code", "Every part of the form needs a Content-Disposition: form-data header.");
        }

        var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
        if (name == "code")
        {
            FileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
            Code = new MalformedBodyGuardStream(section.Body);
            return true;
        }

        var value = await ReadFieldAsync(section, name ?? "", ct);
        switch (name)
        {
            case "activate":
                _activate = LooseBooleanConverter.Parse(value) ?? throw new ValidationException("activate", "Value must be a valid boolean");
                break;
            case "entrypoint":
                _entrypoint = value;
                break;
            case "commands":
                _commands = value;
                break;
            default:
                break; // The SDKs and the CLI may send fields this server does not use; they are ignored as in JSON bodies.
        }

        return false;
    }

    private static async Task<string> ReadFieldAsync(MultipartSection section, string name, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await section.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxFieldBytes)
            {
                throw new ValidationException(name, $"The field is longer than {MaxFieldBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return global::System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>A malformed or truncated form (the reader's InvalidDataException / IOException "unexpected end of stream") is the client's 400.</summary>
    private static async Task Malformed(Func<Task> read)
    {
        try
        {
            await read();
        }
        catch (Exception ex) when (IsMalformedBody(ex))
        {
            throw MalformedBody(ex);
        }
    }

    private static bool IsMalformedBody(Exception ex) => ex is InvalidDataException or IOException and not FileNotFoundException;

    private static ValidationException MalformedBody(Exception ex) => new("code", $"The multipart body is malformed: {ex.Message}");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The archive part as the handler reads it: a form broken inside it is the same 400 as one broken elsewhere.</summary>
    private sealed class MalformedBodyGuardStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return inner.Read(buffer, offset, count);
            }
            catch (Exception ex) when (IsMalformedBody(ex))
            {
                throw MalformedBody(ex);
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception ex) when (IsMalformedBody(ex))
            {
                throw MalformedBody(ex);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
