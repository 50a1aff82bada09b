using System.Security.Cryptography;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Deployments;
using FunctionsPlatform.Application.Deployments.Commands.CreateDeployment;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Infrastructure.Deployments;
using FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Deployments;

/// <summary>Appwrite's Content-Range upload protocol: parallel and repeated chunks, every byte range required, named errors.</summary>
public sealed class ChunkedUploadTests
{
    private const int MiB = 1024 * 1024;
    private HandlerTestHost _host = null!;
    private string _functionId = "";

    private string _adminId = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await DeploymentTestHost.StartAsync(new Dictionary<string, string?> { ["Deployments:MaxSizeBytes"] = (40 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _adminId = _host.Caller.UserId;
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    /// <summary>One host for the fixture (starting one migrates a database); a fresh function and an admin caller per test.</summary>
    [SetUp]
    public async Task NewFunctionAsync()
    {
        _host.Caller.UserId = _adminId;
        _host.Caller.IsAdmin = true;
        _host.Caller.Scopes = Domain.Identity.Scope.All;
        _functionId = await _host.CreateFunctionAsync("deployed-" + Guid.NewGuid().ToString("N")[..8]);
    }

    private static byte[] RandomBytes(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    /// <summary>Compared as digests: NUnit compares byte arrays element by element, seconds for megabytes.</summary>
    private static string Digest(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private async Task<string> StoredSourceAsync(string deploymentId)
    {
        var row = await _host.RowAsync(deploymentId);
        Assert.That(row.SourceKey, Is.Not.Null, "the upload is complete");
        await using var stream = await _host.Services.GetRequiredService<IBlobStorage>().OpenAsync(row.SourceKey!);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        return Digest(copy.ToArray());
    }

    private DomainException RangeError(Func<Task> upload)
    {
        var error = Assert.ThrowsAsync<DomainException>(async () => await upload());
        Assert.That(error!.Error.AppwriteType, Is.EqualTo("storage_invalid_content_range"));
        return error;
    }

    [Test]
    public async Task Upload_WithoutContentRange_ShouldStoreTheWholeArchiveAndQueueIt()
    {
        var data = RandomBytes(1000);

        var deployment = await _host.UploadAsync(_functionId, data);

        var row = await _host.RowAsync(deployment.Id);
        Assert.Multiple(() =>
        {
            Assert.That(deployment.Status, Is.EqualTo("waiting"));
            Assert.That(deployment.SourceSize, Is.EqualTo(1000));
            Assert.That(row.IsQueued, Is.True);
            Assert.That(row.SourceKey, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(data))), "content-addressed");
        });
    }

    [Test]
    public async Task Upload_ChunksInOrder_ShouldAssembleExactlyTheBytesSent()
    {
        var data = RandomBytes(12 * MiB);

        var first = await _host.ChunkAsync(_functionId, data, 0, (5 * MiB) - 1, null);
        var second = await _host.ChunkAsync(_functionId, data, 5 * MiB, (10 * MiB) - 1, first.Id);
        Assert.That(second.Status, Is.EqualTo("waiting"));
        Assert.That((await _host.RowAsync(first.Id)).SourceKey, Is.Null, "not complete before the last byte range");
        var last = await _host.ChunkAsync(_functionId, data, 10 * MiB, data.Length - 1, first.Id);

        Assert.Multiple(() =>
        {
            Assert.That(first.ChunksTotal, Is.EqualTo(3));
            Assert.That(first.ChunksUploaded, Is.EqualTo(1));
            Assert.That(second.ChunksUploaded, Is.EqualTo(2));
            Assert.That(last.ChunksUploaded, Is.EqualTo(3));
            Assert.That(last.SourceSize, Is.EqualTo(data.Length));
        });
        Assert.That(await StoredSourceAsync(first.Id), Is.EqualTo(Digest(data)));
    }

    [Test]
    public async Task Upload_LaterChunksInParallelAndOutOfOrder_ShouldAssembleInByteOrder()
    {
        var data = RandomBytes(17 * MiB);
        var first = await _host.ChunkAsync(_functionId, data, 0, (5 * MiB) - 1, null);

        await Task.WhenAll(
            _host.ChunkAsync(_functionId, data, 15 * MiB, data.Length - 1, first.Id),
            _host.ChunkAsync(_functionId, data, 10 * MiB, (15 * MiB) - 1, first.Id),
            _host.ChunkAsync(_functionId, data, 5 * MiB, (10 * MiB) - 1, first.Id));

        var row = await _host.RowAsync(first.Id);
        Assert.That(row.ChunksUploaded, Is.EqualTo(4));
        Assert.That(await StoredSourceAsync(first.Id), Is.EqualTo(Digest(data)));
    }

    [Test]
    public async Task Upload_RepeatedChunk_ShouldBeHarmlessBeforeAndAfterCompletion()
    {
        var data = RandomBytes(300);
        var first = await _host.ChunkAsync(_functionId, data, 0, 99, null);
        var again = await _host.ChunkAsync(_functionId, data, 0, 99, first.Id);
        Assert.That(again.ChunksUploaded, Is.EqualTo(1));
        await _host.ChunkAsync(_functionId, data, 100, 299, first.Id);
        var sourceKey = (await _host.RowAsync(first.Id)).SourceKey;

        var afterCompletion = await _host.ChunkAsync(_functionId, data, 100, 299, first.Id);

        Assert.That(afterCompletion.Id, Is.EqualTo(first.Id));
        Assert.That((await _host.RowAsync(first.Id)).SourceKey, Is.EqualTo(sourceKey));
        Assert.That(await StoredSourceAsync(first.Id), Is.EqualTo(Digest(data)));
    }

    [Test]
    public async Task Upload_LastChunkLongerThanItsRange_ShouldBeTrimmedToTheRange()
    {
        var data = RandomBytes(150);
        var first = await _host.ChunkAsync(_functionId, data, 0, 99, null);
        var longer = data[100..].Concat(new byte[80]).ToArray();

        await _host.SendAsync(new CreateDeploymentCommand(_functionId, DeploymentTestHost.Body(longer), ContentRange: "bytes 100-149/150", UploadId: first.Id));

        Assert.That(await StoredSourceAsync(first.Id), Is.EqualTo(Digest(data)));
    }

    [Test]
    public async Task Upload_ChunkShorterThanItsRange_ShouldBeAnInvalidContentRange()
    {
        var data = RandomBytes(150);
        var first = await _host.ChunkAsync(_functionId, data, 0, 99, null);

        RangeError(() => _host.SendAsync(new CreateDeploymentCommand(_functionId, DeploymentTestHost.Body(new byte[10]), ContentRange: "bytes 100-149/150", UploadId: first.Id)));
        Assert.That((await _host.RowAsync(first.Id)).SourceKey, Is.Null);
    }

    [TestCase("bytes 5-3/10")]
    [TestCase("bytes 0-10/10")]
    [TestCase("bytes 0-9/")]
    [TestCase("bytes 0-9/1x")]
    [TestCase("bytes -1-9/10")]
    [TestCase("bits 0-9/10")]
    [TestCase("bytes 0-9/10 ; extra")]
    [TestCase("")]
    public void Upload_UnparsableContentRange_ShouldBeNamedError(string header) =>
        RangeError(() => _host.SendAsync(new CreateDeploymentCommand(_functionId, DeploymentTestHost.Body(new byte[10]), ContentRange: header)));

    [Test]
    public async Task Upload_ChunkOverlappingAnotherDifferently_ShouldBeNamedError()
    {
        var data = RandomBytes(300);
        var first = await _host.ChunkAsync(_functionId, data, 0, 99, null);

        var error = RangeError(() => _host.ChunkAsync(_functionId, data, 50, 149, first.Id));

        Assert.That(error.Message, Does.Contain("overlap"));
    }

    [Test]
    public async Task Upload_ChunkWithAnotherTotal_ShouldBeNamedError()
    {
        var data = RandomBytes(300);
        var first = await _host.ChunkAsync(_functionId, data, 0, 99, null);

        RangeError(() => _host.ChunkAsync(_functionId, data, 100, 199, first.Id, total: 400));
    }

    [Test]
    public async Task Upload_ChunkForAnotherFunctionsDeployment_ShouldBeNotFound()
    {
        var data = RandomBytes(300);
        var first = await _host.ChunkAsync(_functionId, data, 0, 99, null);
        var other = await _host.CreateFunctionAsync("other-" + Guid.NewGuid().ToString("N")[..8]);

        var error = Assert.ThrowsAsync<NotFoundException>(() => _host.ChunkAsync(other, data, 100, 199, first.Id));

        Assert.That(error!.AppwriteType, Is.EqualTo("deployment_not_found"));
    }

    [Test]
    public void Upload_TotalOverTheSizeLimit_ShouldBeInvalidFileSize()
    {
        var error = Assert.ThrowsAsync<DomainException>(() =>
            _host.SendAsync(new CreateDeploymentCommand(_functionId, DeploymentTestHost.Body(new byte[10]), ContentRange: $"bytes 0-9/{(40 * MiB) + 1}")));

        Assert.That(error!.Error.AppwriteType, Is.EqualTo("deployment_invalid_file_size"));
    }

    [Test]
    public async Task Upload_WholeArchiveOverTheSizeLimit_ShouldBeInvalidFileSizeAndStoreNothing()
    {
        await using var limited = await DeploymentTestHost.StartAsync(new Dictionary<string, string?> { ["Deployments:MaxSizeBytes"] = "1000" });
        var functionId = await limited.CreateFunctionAsync();

        var error = Assert.ThrowsAsync<DomainException>(() => limited.UploadAsync(functionId, new byte[1001]));

        Assert.That(error!.Error.AppwriteType, Is.EqualTo("deployment_invalid_file_size"));
        Assert.That(Directory.Exists(Path.Combine(limited.DataDirectory, "blobs")) ? Directory.GetFiles(Path.Combine(limited.DataDirectory, "blobs"), "*", SearchOption.AllDirectories) : [], Is.Empty);
    }

    [Test]
    public void Upload_FileNotGzip_ShouldBeUnsupportedFileType()
    {
        var error = Assert.ThrowsAsync<ValidationException>(() =>
            _host.SendAsync(new CreateDeploymentCommand(_functionId, DeploymentTestHost.Body(new byte[10], fileName: "code.zip"))));

        Assert.That(error!.AppwriteType, Is.EqualTo("storage_file_type_unsupported"));
    }

    [Test]
    public void Upload_EmptyFile_ShouldBeFileEmpty()
    {
        var error = Assert.ThrowsAsync<ValidationException>(() => _host.UploadAsync(_functionId, []));

        Assert.That(error!.AppwriteType, Is.EqualTo("storage_file_empty"));
    }

    [Test]
    public async Task Upload_WithoutAnyEntrypoint_ShouldBeEntrypointMissing()
    {
        var functionId = await _host.CreateFunctionAsync("no-entry-" + Guid.NewGuid().ToString("N")[..8], entrypoint: null);

        var error = Assert.ThrowsAsync<NotFoundException>(() => _host.UploadAsync(functionId, new byte[10]));

        Assert.That(error!.AppwriteType, Is.EqualTo("function_entrypoint_missing"));
    }

    [Test]
    public void Upload_WithUploadIdThatIsNoId_ShouldBeValidationError()
    {
        var error = Assert.ThrowsAsync<ValidationException>(() =>
            _host.SendAsync(new CreateDeploymentCommand(_functionId, DeploymentTestHost.Body(new byte[10]), ContentRange: "bytes 0-9/20", UploadId: "../../etc")));

        Assert.That(error!.Errors.Keys, Does.Contain("x-appwrite-id"));
    }

    [Test]
    public void Upload_WithoutWriteScope_ShouldBeForbidden()
    {
        _host.Caller.Scopes = new HashSet<string> { Domain.Identity.Scope.FunctionsRead };

        Assert.ThrowsAsync<ForbiddenException>(() => _host.UploadAsync(_functionId, new byte[10]));
    }

    [Test]
    public void Upload_ForAFunctionOfAnotherWorkspace_ShouldBeNotFound()
    {
        _host.Caller.IsAdmin = false;
        _host.Caller.UserId = "usr_stranger";

        var error = Assert.ThrowsAsync<NotFoundException>(() => _host.UploadAsync(_functionId, new byte[10]));

        Assert.That(error!.AppwriteType, Is.EqualTo("function_not_found"));
    }

    [Test]
    public async Task Upload_LargeArchive_ShouldStreamWithoutHoldingItInMemory()
    {
        const long size = 30L * MiB;
        await _host.UploadAsync(_functionId, new byte[1]); // warm the path: the first call allocates for JIT and EF models
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var deployment = await _host.SendAsync(new CreateDeploymentCommand(_functionId, new DeploymentUploadBody(new GeneratedStream(size), "code.tar.gz", new DeploymentUploadFields(false))));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.That(deployment.SourceSize, Is.EqualTo(size));
        Assert.That(allocated, Is.LessThan(size / 4), $"allocated {allocated} bytes for a {size}-byte upload");
    }

    [Test]
    public async Task Upload_LargeArchiveInChunks_ShouldWriteEachChunkInPlaceWithoutHoldingIt()
    {
        const int chunk = 5 * MiB;
        const long size = 30L * MiB;
        var warm = await _host.SendAsync(new CreateDeploymentCommand(_functionId, Generated(10), ContentRange: "bytes 0-9/20")); // JIT and EF models
        await _host.SendAsync(new CreateDeploymentCommand(_functionId, Generated(10), ContentRange: "bytes 10-19/20", UploadId: warm.Id));
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var first = await _host.SendAsync(new CreateDeploymentCommand(_functionId, Generated(chunk), ContentRange: $"bytes 0-{chunk - 1}/{size}"));
        DeploymentDto last = first;
        for (long start = chunk; start < size; start += chunk)
        {
            last = await _host.SendAsync(new CreateDeploymentCommand(_functionId, Generated(chunk), ContentRange: $"bytes {start}-{start + chunk - 1}/{size}", UploadId: first.Id));
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.That(last.ChunksUploaded, Is.EqualTo(6));
        Assert.That((await _host.RowAsync(first.Id)).SourceSize, Is.EqualTo(size));
        Assert.That(allocated, Is.LessThan(size / 4), $"allocated {allocated} bytes for a {size}-byte chunked upload");
    }

    [Test]
    public async Task Upload_FirstChunkWithInvalidFieldsAfterItsCode_ShouldStoreNothing()
    {
        var data = RandomBytes(300);
        var uploads = Path.Combine(_host.DataDirectory, "uploads");
        var before = Directory.Exists(uploads) ? Directory.GetDirectories(uploads).Length : 0;

        var error = Assert.ThrowsAsync<ValidationException>(() => _host.SendAsync(new CreateDeploymentCommand(
            _functionId, DeploymentTestHost.Body(data[..100], entrypoint: new string('e', 1029)), ContentRange: "bytes 0-99/300")));

        Assert.That(error!.Errors.Keys, Does.Contain("entrypoint"));
        Assert.That(Directory.Exists(uploads) ? Directory.GetDirectories(uploads).Length : 0, Is.EqualTo(before), "the chunk's bytes were discarded");
    }

    [Test]
    public async Task Upload_LaterChunkWithInvalidFieldsAfterItsCode_ShouldNotCountAndItsRangeStaysFree()
    {
        var data = RandomBytes(300);
        var first = await _host.ChunkAsync(_functionId, data, 0, 99, null);

        Assert.ThrowsAsync<ValidationException>(() => _host.SendAsync(new CreateDeploymentCommand(
            _functionId, DeploymentTestHost.Body(data[100..200], commands: new string('c', 8193)), ContentRange: "bytes 100-199/300", UploadId: first.Id)));
        Assert.That((await _host.RowAsync(first.Id)).ChunksUploaded, Is.EqualTo(1));

        Assert.That((await _host.RowAsync(first.Id)).SourceKey, Is.Null);
        await _host.ChunkAsync(_functionId, data, 100, 199, first.Id);
        await _host.ChunkAsync(_functionId, data, 200, 299, first.Id);

        Assert.That(await StoredSourceAsync(first.Id), Is.EqualTo(Digest(data)));
    }

    [Test]
    public async Task Upload_ChunkNotHoldingItsRange_ShouldFreeTheRangeForTheRetry()
    {
        var data = RandomBytes(300);
        var first = await _host.ChunkAsync(_functionId, data, 0, 99, null);
        RangeError(() => _host.SendAsync(new CreateDeploymentCommand(_functionId, DeploymentTestHost.Body(data[100..150]), ContentRange: "bytes 100-199/300", UploadId: first.Id)));

        await _host.ChunkAsync(_functionId, data, 100, 199, first.Id);
        await _host.ChunkAsync(_functionId, data, 200, 299, first.Id);

        Assert.That(await StoredSourceAsync(first.Id), Is.EqualTo(Digest(data)));
    }

    [Test]
    public async Task Upload_ChunkReservedByAWriteACrashInterrupted_ShouldBeFreedAtStart()
    {
        var data = RandomBytes(300);
        var first = await _host.ChunkAsync(_functionId, data, 0, 99, null);
        // What a crash mid-chunk leaves: the range's reservation, never kept nor released.
        await File.WriteAllBytesAsync(Path.Combine(_host.DataDirectory, "uploads", first.Id, "100-199.writing"), []);
        await _host.ChunkAsync(_functionId, data, 100, 199, first.Id);
        await _host.ChunkAsync(_functionId, data, 200, 299, first.Id);
        Assert.That((await _host.RowAsync(first.Id)).SourceKey, Is.Null, "the reserved range is taken as being written: its retry is dropped");

        foreach (var service in _host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<InterruptedUploadCleanup>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        await _host.ChunkAsync(_functionId, data, 100, 199, first.Id);
        await _host.ChunkAsync(_functionId, data, 200, 299, first.Id);
        Assert.That(await StoredSourceAsync(first.Id), Is.EqualTo(Digest(data)));
    }

    [Test]
    public async Task Upload_ParallelChunks_ShouldEachAnswerProgressThatNeverGoesBack()
    {
        const int chunk = 5 * MiB;
        var data = RandomBytes((4 * chunk) + 1000);
        var first = await _host.ChunkAsync(_functionId, data, 0, chunk - 1, null);

        var answers = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => _host.ChunkAsync(_functionId, data, i * chunk, Math.Min((i + 1) * chunk, data.Length) - 1, first.Id)));

        Assert.That(answers.Select(a => a.ChunksUploaded), Is.All.InRange(2, 5));
        Assert.That(answers.Count(a => a.ChunksUploaded == 5), Is.GreaterThanOrEqualTo(1), "the chunk completing the upload says so");
        var row = await _host.RowAsync(first.Id);
        Assert.That(row.ChunksUploaded, Is.EqualTo(5));
        Assert.That(await StoredSourceAsync(first.Id), Is.EqualTo(Digest(data)));
    }

    private static DeploymentUploadBody Generated(long length) => new(new GeneratedStream(length), "code.tar.gz", new DeploymentUploadFields(false));

    /// <summary>Produces <c>length</c> bytes without ever holding them: memory must not grow with what is uploaded.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)(_position % 251));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
