using System.Net;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Documents;

/// <summary>The management API's OpenAPI document and the reference page that renders it.</summary>
public sealed class ApiDocumentTests : FunctionalTestBase
{
    [Test]
    public async Task ManagementDocument_WhenRequested_ShouldDescribeTheApiRoutes()
    {
        var document = await ReadJsonAsync(await Admin.GetAsync("/openapi/management.json"), HttpStatusCode.OK);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.That(paths, Does.Contain("/api/functions").And.Contain("/api/users").And.Contain("/api/workspaces").And.Contain("/api/api-keys"));
        Assert.That(document["openapi"]!.GetValue<string>(), Does.StartWith("3."));
    }

    [Test]
    public async Task OldDocumentName_WhenRequested_ShouldBe404()
    {
        using var response = await Admin.GetAsync("/openapi/v1.json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Docs_WhenRequested_ShouldPointAtTheManagementDocument()
    {
        using var response = await Admin.GetAsync("/docs");
        var page = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), page);
        Assert.That(page, Does.Contain("management"));
    }
}
