using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using static FunctionsPlatform.Api.FunctionalTests.Appwrite.DeploymentArchives;

namespace FunctionsPlatform.Api.FunctionalTests.Appwrite;

/// <summary>/v1/functions/{id}/deployments over real HTTP: multipart and chunked uploads, real builds, lists, activation, downloads.</summary>
public sealed class AppwriteDeploymentTests : AppwriteTestBase
{
    private const int Chunk = 5 * 1024 * 1024;

    private static async Task<string> FunctionAsync(HttpClient client, string extra = "") =>
        (await CreateV1FunctionAsync(client, extra: extra))["$id"]!.GetValue<string>();

    private static async Task<JsonNode> UploadAsync(HttpClient client, string fn, byte[] code, bool? activate = true, string? entrypoint = "index.js", string? commands = null)
    {
        using var form = Form(code, activate, entrypoint, commands);
        return await ReadJsonAsync(await client.PostAsync($"/v1/functions/{fn}/deployments", form), HttpStatusCode.Accepted);
    }

    private static async Task<JsonNode> WaitForAsync(HttpClient client, string fn, string id, params string[] statuses)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var deployment = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/deployments/{id}"), HttpStatusCode.OK);
            if (statuses.Contains(deployment["status"]!.GetValue<string>()) || DateTime.UtcNow > deadline)
            {
                return deployment;
            }

            await Task.Delay(50);
        }
    }

    [Test]
    public async Task Build_ShouldGetTheFunctionsShortLivedKey()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client, ""","scopes":["functions.read"]""");

        var created = await UploadAsync(client, fn, NodeFunction(), commands: "echo \"key:${APPWRITE_FUNCTION_API_KEY:0:10}\"");
        var built = await WaitForAsync(client, fn, created["$id"]!.GetValue<string>(), "ready", "failed");

        Assert.That(built["status"]!.GetValue<string>(), Is.EqualTo("ready"), built.ToJsonString());
        Assert.That(built["buildLogs"]!.GetValue<string>(), Does.Contain("key:ephemeral_"));
    }

    [Test]
    public async Task Create_ShouldAnswer202WithEveryField_ThenBuildAndActivate()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);

        var created = await UploadAsync(client, fn, NodeFunction());
        var id = created["$id"]!.GetValue<string>();
        var ready = await WaitForAsync(client, fn, id, "ready", "failed");
        var function = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            string[] fields =
            [
                "$id", "$createdAt", "$updatedAt", "type", "resourceId", "resourceType", "entrypoint", "sourceSize", "buildSize",
                "totalSize", "buildId", "activate", "screenshotLight", "screenshotDark", "status", "buildLogs", "buildDuration",
                "providerRepositoryName", "providerRepositoryOwner", "providerRepositoryUrl", "providerCommitHash",
                "providerCommitAuthorUrl", "providerCommitAuthor", "providerCommitMessage", "providerCommitUrl", "providerBranch", "providerBranchUrl",
            ];
            Assert.That(created.AsObject().Select(p => p.Key), Is.EquivalentTo(fields));
            Assert.That(created["type"]!.GetValue<string>(), Is.EqualTo("manual"));
            Assert.That(created["resourceId"]!.GetValue<string>(), Is.EqualTo(fn));
            Assert.That(created["resourceType"]!.GetValue<string>(), Is.EqualTo("functions"));
            Assert.That(created["entrypoint"]!.GetValue<string>(), Is.EqualTo("index.js"));
            Assert.That(created["status"]!.GetValue<string>(), Is.AnyOf("waiting", "processing", "building", "ready"));
            Assert.That(created["sourceSize"]!.GetValue<long>(), Is.GreaterThan(0));
            Assert.That(ready["status"]!.GetValue<string>(), Is.EqualTo("ready"), ready["buildLogs"]?.ToString());
            Assert.That(ready["buildSize"]!.GetValue<long>(), Is.GreaterThan(0));
            Assert.That(ready["totalSize"]!.GetValue<long>(), Is.EqualTo(ready["sourceSize"]!.GetValue<long>() + ready["buildSize"]!.GetValue<long>()));
            Assert.That(function["deploymentId"]!.GetValue<string>(), Is.EqualTo(id));
            Assert.That(function["latestDeploymentId"]!.GetValue<string>(), Is.EqualTo(id));
            Assert.That(function["latestDeploymentStatus"]!.GetValue<string>(), Is.EqualTo("ready"));
        });
    }

    [Test]
    public async Task Create_FromTheCli_ShouldBeTypeCli_AndEntrypointFallsBackToTheFunctions()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client, ""","entrypoint":"index.js","commands":"echo from-function" """.TrimEnd());
        using var form = Form(NodeFunction(), activate: false, entrypoint: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/functions/{fn}/deployments") { Content = form };
        request.Headers.Add("x-sdk-language", "cli");

        var created = await ReadJsonAsync(await client.SendAsync(request), HttpStatusCode.Accepted);
        var built = await WaitForAsync(client, fn, created["$id"]!.GetValue<string>(), "ready", "failed");

        Assert.Multiple(() =>
        {
            Assert.That(created["type"]!.GetValue<string>(), Is.EqualTo("cli"));
            Assert.That(created["entrypoint"]!.GetValue<string>(), Is.EqualTo("index.js"));
            Assert.That(created["activate"]!.GetValue<bool>(), Is.False);
            Assert.That(built["buildLogs"]!.GetValue<string>(), Does.Contain("from-function"));
        });
        var function = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}"), HttpStatusCode.OK);
        Assert.That(function["deploymentId"]!.GetValue<string>(), Is.Empty, "activate=false leaves the function without an active deployment");
    }

    [Test]
    public async Task Create_Chunked_OutOfOrderAndInParallel_ShouldAssembleTheArchive()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        var archive = NodeFunction(answer: 7, paddingBytes: (2 * Chunk) + 1000);
        var total = archive.Length;
        Assert.That(total, Is.GreaterThan(2 * Chunk));

        var first = await SendChunkAsync(client, fn, archive, 0, uploadId: null);
        var id = first["$id"]!.GetValue<string>();
        var rest = await Task.WhenAll(SendChunkAsync(client, fn, archive, 2, id), SendChunkAsync(client, fn, archive, 1, id));
        var again = await SendChunkAsync(client, fn, archive, 1, id);
        var ready = await WaitForAsync(client, fn, id, "ready", "failed");

        using var download = await client.GetAsync($"/v1/functions/{fn}/deployments/{id}/download");
        var downloaded = await download.Content.ReadAsByteArrayAsync();
        Assert.Multiple(() =>
        {
            Assert.That(first["sourceSize"]!.GetValue<long>(), Is.EqualTo(total));
            Assert.That(rest.Select(r => r["$id"]!.GetValue<string>()), Is.All.EqualTo(id));
            Assert.That(again["$id"]!.GetValue<string>(), Is.EqualTo(id), "a repeated chunk of a complete upload answers the deployment");
            Assert.That(ready["status"]!.GetValue<string>(), Is.EqualTo("ready"), ready["buildLogs"]?.ToString());
            Assert.That(downloaded, Is.EqualTo(archive), "the source download is the assembled archive, byte for byte");
        });
    }

    [Test]
    public async Task Create_ChunkedWithEveryFieldAfterTheCode_ShouldStreamTheCodeAndStillHonourThem()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        var archive = NodeFunction(answer: 9, paddingBytes: Chunk + 1000);

        var chunks = new List<JsonNode>();
        string? id = null;
        for (var start = 0; start < archive.Length; start += Chunk)
        {
            var end = Math.Min(start + Chunk, archive.Length) - 1;
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(archive[start..(end + 1)]);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
            form.Add(file, "code", "code.tar.gz");
            form.Add(new StringContent("false"), "activate");
            form.Add(new StringContent("index.js"), "entrypoint");
            form.Add(new StringContent("echo fields-after-code"), "commands");
            form.Headers.TryAddWithoutValidation("Content-Range", $"bytes {start}-{end}/{archive.Length}");
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/functions/{fn}/deployments") { Content = form };
            if (id is not null)
            {
                request.Headers.Add("x-appwrite-id", id);
            }

            chunks.Add(await ReadJsonAsync(await client.SendAsync(request), HttpStatusCode.Accepted));
            id ??= chunks[0]["$id"]!.GetValue<string>();
        }

        var built = await WaitForAsync(client, fn, id!, "ready", "failed");
        Assert.Multiple(() =>
        {
            Assert.That(chunks.Select(c => c["$id"]!.GetValue<string>()), Is.All.EqualTo(id));
            Assert.That(chunks[0]["activate"]!.GetValue<bool>(), Is.False, "activate read after the code");
            Assert.That(built["status"]!.GetValue<string>(), Is.EqualTo("ready"), built["buildLogs"]?.ToString());
            Assert.That(built["buildLogs"]!.GetValue<string>(), Does.Contain("fields-after-code"), "commands read after the code");
        });
    }

    [Test]
    public async Task Create_ChunkWithABadFieldAfterTheCode_ShouldBe400AndNotCount()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        var archive = NodeFunction(answer: 3, paddingBytes: Chunk + 1000);
        var first = await SendChunkAsync(client, fn, archive, 0, uploadId: null);
        var id = first["$id"]!.GetValue<string>();

        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(archive[Chunk..]), "code", "code.tar.gz");
            form.Add(new StringContent("maybe"), "activate");
            form.Headers.TryAddWithoutValidation("Content-Range", $"bytes {Chunk}-{archive.Length - 1}/{archive.Length}");
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/functions/{fn}/deployments") { Content = form };
            request.Headers.Add("x-appwrite-id", id);
            var message = await AssertAppwriteErrorAsync(await client.SendAsync(request), HttpStatusCode.BadRequest, "general_argument_invalid");
            Assert.That(message, Does.Contain("activate"));
        }

        var unchanged = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/deployments/{id}"), HttpStatusCode.OK);
        Assert.That(unchanged["sourceSize"]!.GetValue<long>(), Is.EqualTo(archive.Length));
        var last = await SendChunkAsync(client, fn, archive, 1, id);
        var ready = await WaitForAsync(client, fn, id, "ready", "failed");
        Assert.That(ready["status"]!.GetValue<string>(), Is.EqualTo("ready"), "the refused chunk's range was free for the retry: " + last);
    }

    [Test]
    public async Task Create_TenAtOnceOnOneFunction_ShouldAllBeAccepted()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);

        // Each upload saves the function row (latestDeployment*, the activation claim): they must take turns, not answer 409.
        var created = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => UploadAsync(client, fn, NodeFunction(answer: i))));

        var ids = created.Select(d => d["$id"]!.GetValue<string>()).ToList();
        var list = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/deployments"), HttpStatusCode.OK);
        var function = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.Unique);
            Assert.That(list["total"]!.GetValue<int>(), Is.EqualTo(10));
            Assert.That(ids, Does.Contain(function["latestDeploymentId"]!.GetValue<string>()));
        });
    }

    private static async Task<JsonNode> SendChunkAsync(HttpClient client, string fn, byte[] archive, int index, string? uploadId)
    {
        var start = index * Chunk;
        var end = Math.Min(start + Chunk, archive.Length) - 1;
        using var form = Form(archive[start..(end + 1)], activate: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/functions/{fn}/deployments") { Content = form };
        request.Content!.Headers.TryAddWithoutValidation("Content-Range", $"bytes {start}-{end}/{archive.Length}");
        if (uploadId is not null)
        {
            request.Headers.Add("x-appwrite-id", uploadId);
        }

        return await ReadJsonAsync(await client.SendAsync(request), HttpStatusCode.Accepted);
    }

    [Test]
    public async Task Create_BadContentRange_ShouldBeStorageInvalidContentRange()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        using var form = Form(NodeFunction());
        form.Headers.TryAddWithoutValidation("Content-Range", "bytes 10-5/100");
        await AssertAppwriteErrorAsync(await client.PostAsync($"/v1/functions/{fn}/deployments", form), HttpStatusCode.BadRequest, "storage_invalid_content_range");
    }

    [Test]
    public async Task Create_BadFiles_ShouldBePreciseErrors()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);

        using (var wrongName = Form(NodeFunction(), fileName: "code.zip"))
        {
            await AssertAppwriteErrorAsync(await client.PostAsync($"/v1/functions/{fn}/deployments", wrongName), HttpStatusCode.BadRequest, "storage_file_type_unsupported");
        }

        using (var empty = Form([]))
        {
            await AssertAppwriteErrorAsync(await client.PostAsync($"/v1/functions/{fn}/deployments", empty), HttpStatusCode.BadRequest, "storage_file_empty");
        }

        using (var noEntrypoint = Form(NodeFunction(), entrypoint: null))
        {
            await AssertAppwriteErrorAsync(await client.PostAsync($"/v1/functions/{fn}/deployments", noEntrypoint), HttpStatusCode.NotFound, "function_entrypoint_missing");
        }

        using (var tooLarge = Form(NodeFunction()))
        {
            tooLarge.Headers.TryAddWithoutValidation("Content-Range", "bytes 0-9/40000000");
            await AssertAppwriteErrorAsync(await client.PostAsync($"/v1/functions/{fn}/deployments", tooLarge), HttpStatusCode.BadRequest, "deployment_invalid_file_size");
        }
    }

    [Test]
    public async Task Create_MalformedForms_ShouldBe400NotServerErrors()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        var message = await AssertAppwriteErrorAsync(await client.PostAsync($"/v1/functions/{fn}/deployments", new MultipartFormDataContent { { new StringContent("true"), "activate" } }), HttpStatusCode.BadRequest, "general_argument_invalid");
        Assert.That(message, Does.Contain("code"));

        using (var badBoolean = Form(NodeFunction(), activate: null))
        {
            badBoolean.Add(new StringContent("maybe"), "activate");
            var booleanMessage = await AssertAppwriteErrorAsync(await client.PostAsync($"/v1/functions/{fn}/deployments", badBoolean), HttpStatusCode.BadRequest, "general_argument_invalid");
            Assert.That(booleanMessage, Does.Contain("activate"));
        }

        using (var longEntrypoint = Form(NodeFunction(), entrypoint: new string('e', 1029)))
        {
            await AssertAppwriteErrorAsync(await client.PostAsync($"/v1/functions/{fn}/deployments", longEntrypoint), HttpStatusCode.BadRequest, "general_argument_invalid");
        }

        var noBoundary = new ByteArrayContent("--x\r\n"u8.ToArray());
        noBoundary.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data");
        await AssertAppwriteErrorAsync(await client.PostAsync($"/v1/functions/{fn}/deployments", noBoundary), HttpStatusCode.BadRequest, "general_argument_invalid");

        var truncated = new ByteArrayContent("--b\r\nContent-Disposition: form-data; name=\"code\"; filename=\"c.tar.gz\"\r\n\r\nabc"u8.ToArray());
        truncated.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        await AssertAppwriteErrorAsync(await client.PostAsync($"/v1/functions/{fn}/deployments", truncated), HttpStatusCode.BadRequest, "general_argument_invalid");

        var json = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        Assert.That((await client.PostAsync($"/v1/functions/{fn}/deployments", json)).StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task Create_UnknownFunction_ShouldBeFunctionNotFound()
    {
        using var client = V1Client();
        using var form = Form(NodeFunction());
        await AssertAppwriteErrorAsync(await client.PostAsync("/v1/functions/nope/deployments", form), HttpStatusCode.NotFound, "function_not_found");
    }

    [Test]
    public async Task List_ShouldFilterOrderSelectAndRefuseSearch()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        var a = (await UploadAsync(client, fn, NodeFunction(1), activate: false))["$id"]!.GetValue<string>();
        var b = (await UploadAsync(client, fn, NodeFunction(2), activate: false, commands: "exit 3"))["$id"]!.GetValue<string>();
        await WaitForAsync(client, fn, a, "ready", "failed");
        await WaitForAsync(client, fn, b, "ready", "failed");
        var other = await FunctionAsync(client);
        await UploadAsync(client, other, NodeFunction(3), activate: false);

        var all = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/deployments"), HttpStatusCode.OK);
        var ready = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/deployments?queries[0]={Uri.EscapeDataString("""{"method":"equal","attribute":"status","values":["ready"]}""")}"), HttpStatusCode.OK);
        var newestFirst = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/deployments?queries[0]={Uri.EscapeDataString("""{"method":"orderDesc","attribute":"$createdAt"}""")}&queries[1]={Uri.EscapeDataString("""{"method":"limit","values":[1]}""")}&total=false"), HttpStatusCode.OK);
        var selected = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/deployments?queries[0]={Uri.EscapeDataString("""{"method":"select","values":["status"]}""")}"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(all["total"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(all["deployments"]!.AsArray().Select(d => d!["$id"]!.GetValue<string>()), Is.EqualTo(new[] { a, b }), "oldest first by default");
            Assert.That(ready["deployments"]!.AsArray().Select(d => d!["$id"]!.GetValue<string>()), Is.EqualTo(new[] { a }));
            Assert.That(newestFirst["deployments"]!.AsArray().Select(d => d!["$id"]!.GetValue<string>()), Is.EqualTo(new[] { b }));
            Assert.That(newestFirst["total"]!.GetValue<int>(), Is.Zero);
            Assert.That(selected["deployments"]![0]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "$id", "$createdAt", "$updatedAt", "status" }));
        });

        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/deployments?search=x"), HttpStatusCode.BadRequest, "general_query_invalid");
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/deployments?queries[0]={Uri.EscapeDataString("""{"method":"equal","attribute":"entrypoint","values":["x"]}""")}"), HttpStatusCode.BadRequest, "general_argument_invalid");
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/deployments?total=maybe"), HttpStatusCode.BadRequest, "general_argument_invalid");
        await AssertAppwriteErrorAsync(await client.GetAsync("/v1/functions/nope/deployments"), HttpStatusCode.NotFound, "function_not_found");
    }

    [Test]
    public async Task Get_OfAnotherFunctionOrUnknown_ShouldBeDeploymentNotFound()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        var other = await FunctionAsync(client);
        var id = (await UploadAsync(client, fn, NodeFunction(), activate: false))["$id"]!.GetValue<string>();

        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{other}/deployments/{id}"), HttpStatusCode.NotFound, "deployment_not_found");
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/deployments/nope"), HttpStatusCode.NotFound, "deployment_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Delete, $"/v1/functions/{other}/deployments/{id}", "{}"), HttpStatusCode.NotFound, "deployment_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Patch, $"/v1/functions/{other}/deployments/{id}/status", "{}"), HttpStatusCode.NotFound, "deployment_not_found");
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{other}/deployments/{id}/download"), HttpStatusCode.NotFound, "deployment_not_found");
    }

    [Test]
    public async Task Delete_TheActiveDeployment_ShouldBe204AndEmptyTheFunctionsDeployment()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        var id = (await UploadAsync(client, fn, NodeFunction()))["$id"]!.GetValue<string>();
        await WaitForAsync(client, fn, id, "ready", "failed");

        var deleted = await SendAsync(client, HttpMethod.Delete, $"/v1/functions/{fn}/deployments/{id}", "{}");

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await deleted.Content.ReadAsStringAsync(), Is.Empty);
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/deployments/{id}"), HttpStatusCode.NotFound, "deployment_not_found");
        var function = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(function["deploymentId"]!.GetValue<string>(), Is.Empty);
            Assert.That(function["latestDeploymentId"]!.GetValue<string>(), Is.Empty);
        });
    }

    [Test]
    public async Task Cancel_ABuildingDeployment_ShouldBeCanceled_AndAFinishedOneBuildAlreadyCompleted()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        var slow = (await UploadAsync(client, fn, NodeFunction(), commands: "sleep 30"))["$id"]!.GetValue<string>();

        var canceled = await ReadJsonAsync(await SendAsync(client, HttpMethod.Patch, $"/v1/functions/{fn}/deployments/{slow}/status", "{}"), HttpStatusCode.OK);
        Assert.That(canceled["status"]!.GetValue<string>(), Is.EqualTo("canceled"));
        await Task.Delay(500);
        var still = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/deployments/{slow}"), HttpStatusCode.OK);
        Assert.That(still["status"]!.GetValue<string>(), Is.EqualTo("canceled"), "a canceled build stays canceled");

        var done = (await UploadAsync(client, fn, NodeFunction()))["$id"]!.GetValue<string>();
        await WaitForAsync(client, fn, done, "ready", "failed");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Patch, $"/v1/functions/{fn}/deployments/{done}/status", "{}"), HttpStatusCode.BadRequest, "build_already_completed");
    }

    [Test]
    public async Task Activate_ShouldNeedAReadyDeployment_OnBothPaths()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        var first = (await UploadAsync(client, fn, NodeFunction(1)))["$id"]!.GetValue<string>();
        await WaitForAsync(client, fn, first, "ready", "failed");
        var second = (await UploadAsync(client, fn, NodeFunction(2), activate: false))["$id"]!.GetValue<string>();
        await WaitForAsync(client, fn, second, "ready", "failed");
        var failed = (await UploadAsync(client, fn, NodeFunction(3), activate: false, commands: "exit 1"))["$id"]!.GetValue<string>();
        await WaitForAsync(client, fn, failed, "ready", "failed");

        var before = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}"), HttpStatusCode.OK);
        var activated = await ReadJsonAsync(await SendAsync(client, HttpMethod.Patch, $"/v1/functions/{fn}/deployment", $$"""{"deploymentId":"{{second}}"}"""), HttpStatusCode.OK);
        var back = await ReadJsonAsync(await SendAsync(client, HttpMethod.Patch, $"/v1/functions/{fn}/deployments/{first}"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(before["deploymentId"]!.GetValue<string>(), Is.EqualTo(first), "an inactive upload leaves the active one alone");
            Assert.That(activated["deploymentId"]!.GetValue<string>(), Is.EqualTo(second));
            Assert.That(activated["name"]!.GetValue<string>(), Is.EqualTo("fn"), "activation answers the function");
            Assert.That(back["deploymentId"]!.GetValue<string>(), Is.EqualTo(first));
        });
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Patch, $"/v1/functions/{fn}/deployment", $$"""{"deploymentId":"{{failed}}"}"""), HttpStatusCode.BadRequest, "build_not_ready");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Patch, $"/v1/functions/{fn}/deployment", "{}"), HttpStatusCode.BadRequest, "general_argument_invalid");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Patch, $"/v1/functions/{fn}/deployment", """{"deploymentId":"nope"}"""), HttpStatusCode.NotFound, "deployment_not_found");
    }

    [Test]
    public async Task Download_SourceAndOutput_WithRanges()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        var archive = NodeFunction();
        var id = (await UploadAsync(client, fn, archive, commands: "echo built > built.txt"))["$id"]!.GetValue<string>();
        await WaitForAsync(client, fn, id, "ready", "failed");

        using var source = await client.GetAsync($"/v1/functions/{fn}/deployments/{id}/download?type=source");
        using var output = await client.GetAsync($"/v1/functions/{fn}/deployments/{id}/download?type=output");
        using var rangeRequest = new HttpRequestMessage(HttpMethod.Get, $"/v1/functions/{fn}/deployments/{id}/download");
        rangeRequest.Headers.Range = new RangeHeaderValue(10, 19);
        using var partial = await client.SendAsync(rangeRequest);
        var outputFiles = await ArchiveFileNamesAsync(await output.Content.ReadAsStreamAsync());
        var sourceBytes = await source.Content.ReadAsByteArrayAsync();
        var partialBytes = await partial.Content.ReadAsByteArrayAsync();

        Assert.Multiple(() =>
        {
            Assert.That(source.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(source.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/gzip"));
            Assert.That(source.Content.Headers.ContentDisposition!.FileName, Is.EqualTo($"{id}-source.tar.gz"));
            Assert.That(source.Headers.CacheControl!.ToString(), Does.Contain("private"));
            Assert.That(sourceBytes, Is.EqualTo(archive));
            Assert.That(output.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(output.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
            Assert.That(output.Content.Headers.ContentDisposition!.FileName, Does.StartWith($"{id}-output-"));
            Assert.That(outputFiles, Is.SupersetOf(new[] { "index.js", "answer.json", "built.txt" }));
            Assert.That(partial.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
            Assert.That(partial.Content.Headers.ContentRange!.ToString(), Is.EqualTo($"bytes 10-19/{archive.Length}"));
            Assert.That(partialBytes, Is.EqualTo(archive[10..20]));
        });

        using var outside = new HttpRequestMessage(HttpMethod.Get, $"/v1/functions/{fn}/deployments/{id}/download");
        outside.Headers.Range = new RangeHeaderValue(archive.Length + 10, archive.Length + 20);
        await AssertAppwriteErrorAsync(await client.SendAsync(outside), HttpStatusCode.RequestedRangeNotSatisfiable, "storage_invalid_range");
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/deployments/{id}/download?type=zip"), HttpStatusCode.BadRequest, "general_argument_invalid");
    }

    [Test]
    public async Task Download_OutputBeforeTheBuild_ShouldBeDeploymentNotFound()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        var id = (await UploadAsync(client, fn, NodeFunction(), commands: "sleep 30"))["$id"]!.GetValue<string>();
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/deployments/{id}/download?type=output"), HttpStatusCode.NotFound, "deployment_not_found");
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Patch, $"/v1/functions/{fn}/deployments/{id}/status", "{}"), HttpStatusCode.OK);
    }

    private static async Task<List<string>> ArchiveFileNamesAsync(Stream gz)
    {
        var names = new List<string>();
        await using var gzip = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionMode.Decompress);
        await using var tar = new System.Formats.Tar.TarReader(gzip);
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            names.Add(entry.Name.TrimStart('.', '/'));
        }

        return names;
    }

    [Test]
    public async Task AnotherWorkspacesFunction_ShouldBeFunctionNotFoundOnEveryRoute()
    {
        using var admin = V1Client();
        var fn = await FunctionAsync(admin);
        var id = (await UploadAsync(admin, fn, NodeFunction(), activate: false))["$id"]!.GetValue<string>();
        var tenant = await CreateTenantAsync();
        var key = tenant.Client.DefaultRequestHeaders.Authorization!.Parameter;
        tenant.Client.Dispose();
        using var other = V1Client(key, tenant.WorkspaceId);
        using var adminElsewhere = V1Client(project: tenant.WorkspaceId);

        foreach (var client in new[] { other, adminElsewhere })
        {
            using var form = Form(NodeFunction());
            await AssertAppwriteErrorAsync(await client.PostAsync($"/v1/functions/{fn}/deployments", form), HttpStatusCode.NotFound, "function_not_found");
            await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/deployments"), HttpStatusCode.NotFound, "function_not_found");
            await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/deployments/{id}"), HttpStatusCode.NotFound, "function_not_found");
            await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/deployments/{id}/download"), HttpStatusCode.NotFound, "function_not_found");
            await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Patch, $"/v1/functions/{fn}/deployments/{id}/status", "{}"), HttpStatusCode.NotFound, "function_not_found");
            await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Patch, $"/v1/functions/{fn}/deployment", $$"""{"deploymentId":"{{id}}"}"""), HttpStatusCode.NotFound, "function_not_found");
            await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Delete, $"/v1/functions/{fn}/deployments/{id}", "{}"), HttpStatusCode.NotFound, "function_not_found");
        }

        var still = await ReadJsonAsync(await admin.GetAsync($"/v1/functions/{fn}/deployments/{id}"), HttpStatusCode.OK);
        Assert.That(still["$id"]!.GetValue<string>(), Is.EqualTo(id));
    }

    [Test]
    public async Task ReadOnlyKey_ShouldListButNotUploadOrDelete()
    {
        var tenant = await CreateTenantAsync("functions.read");
        var key = tenant.Client.DefaultRequestHeaders.Authorization!.Parameter;
        tenant.Client.Dispose();
        using var writer = V1Client(project: tenant.WorkspaceId);
        var fn = await FunctionAsync(writer);
        using var reader = V1Client(key, tenant.WorkspaceId);
        using var form = Form(NodeFunction());
        var id = (await UploadAsync(writer, fn, NodeFunction(), activate: false))["$id"]!.GetValue<string>();

        var upload = await reader.PostAsync($"/v1/functions/{fn}/deployments", form);
        var delete = await SendAsync(reader, HttpMethod.Delete, $"/v1/functions/{fn}/deployments/{id}", "{}");
        var list = await ReadJsonAsync(await reader.GetAsync($"/v1/functions/{fn}/deployments"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That((int)upload.StatusCode, Is.AnyOf(401, 403));
            Assert.That((int)delete.StatusCode, Is.AnyOf(401, 403));
            Assert.That(list["total"]!.GetValue<int>(), Is.EqualTo(1));
        });
    }
}
