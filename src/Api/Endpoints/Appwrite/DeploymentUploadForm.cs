using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Application.Common.Errors;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>
/// The multipart body of a deployment upload: <c>code</c> (the archive or one chunk of it), <c>activate</c>,
/// <c>entrypoint</c>, <c>commands</c>. node-appwrite sends <c>activate</c> after <c>code</c>, so the archive part is
/// streamed to a private temporary file (never held in memory) while the rest of the form is read; the file is deleted
/// when the form is disposed.
/// </summary>
public sealed class DeploymentUploadForm : IAsyncDisposable
{
    /// <summary>The text fields are short (entrypoint ≤ 1028, commands ≤ 8192 characters); more than this is refused unread.</summary>
    private const int MaxFieldBytes = 64 * 1024;
    private const int MaxParts = 16;

    private FileStream? code;

    public Stream? Code => code;
    public string? FileName { get; private set; }
    public bool Activate { get; private set; }
    public string? Entrypoint { get; private set; }
    public string? Commands { get; private set; }

    public static async Task<DeploymentUploadForm> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var boundary = MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value
            : null;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200)
        {
            throw new ValidationException("code", "The body must be multipart/form-data with a boundary.");
        }

        var form = new DeploymentUploadForm();
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
            for (var parts = 0; await reader.ReadNextSectionAsync(ct) is { } section; parts++)
            {
                if (parts >= MaxParts)
                {
                    throw new ValidationException("code", $"The form has more than {MaxParts} parts.");
                }

                await form.ReadPartAsync(section, ct);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException and not FileNotFoundException)
        {
            // A malformed or truncated form (the reader's InvalidDataException / IOException "unexpected end of stream").
            await form.DisposeAsync();
            throw new ValidationException("code", $"The multipart body is malformed: {ex.Message}");
        }
        catch
        {
            await form.DisposeAsync();
            throw;
        }

        if (form.code is null)
        {
            await form.DisposeAsync();
            throw new ValidationException("code", "Param \"code\" is not optional.");
        }

        form.code.Position = 0;
        return form;
    }

    private async Task ReadPartAsync(MultipartSection section, CancellationToken ct)
    {
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new ValidationException("code", "Every part of the form needs a Content-Disposition: form-data header.");
        }

        var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
        if (name == "code")
        {
            if (code is not null)
            {
                throw new ValidationException("code", "The form has more than one code part.");
            }

            FileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
            code = CreateSpoolFile();
            await section.Body.CopyToAsync(code, ct);
            return;
        }

        var value = await ReadFieldAsync(section, name ?? "", ct);
        switch (name)
        {
            case "activate":
                Activate = LooseBooleanConverter.Parse(value) ?? throw new ValidationException("activate", "Value must be a valid boolean");
                break;
            case "entrypoint":
                Entrypoint = value;
                break;
            case "commands":
                Commands = value;
                break;
            default:
                break; // The SDKs and the CLI may send fields this server does not use; they are ignored as in JSON bodies.
        }
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

    private static FileStream CreateSpoolFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fp-upload-{Guid.NewGuid():N}");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
            BufferSize = 81920,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // uploaded code is private to the server
        }

        return new FileStream(path, options);
    }

    public async ValueTask DisposeAsync()
    {
        if (code is not null)
        {
            await code.DisposeAsync();
            code = null;
        }
    }
}
