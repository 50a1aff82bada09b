using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Observability;

public sealed partial class MetricsTests : FunctionalTestBase
{
    [Test]
    public async Task Metrics_AfterAnInvoke_ShouldCountItWithoutAuthentication()
    {
        var function = await CreateFunctionAsync("metered");
        var versionId = function["defaultVersionId"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.PutAsJsonAsync($"/api/function-versions/{versionId}/files",
            new { files = new[] { new { path = "index.js", content = "module.exports = async ({ res }) => res.json({ ok: 1 });" } } }), HttpStatusCode.OK);
        using var anonymous = TestServer.CreateClient(token: null);
        var before = Counter(await ScrapeAsync(anonymous), "functions_runtime_invocations_total", "outcome=\"ok\"");

        await ReadJsonAsync(await Admin.PostAsJsonAsync($"/api/functions/{function["id"]!.GetValue<string>()}/invoke", new { args = new { } }), HttpStatusCode.OK);
        var text = await ScrapeAsync(anonymous);

        Assert.Multiple(() =>
        {
            Assert.That(Counter(text, "functions_runtime_invocations_total", "outcome=\"ok\""), Is.EqualTo(before + 1));
            Assert.That(text, Does.Contain("functions_runtime_duration_seconds_bucket"));
            Assert.That(text, Does.Contain("functions_runtime_queue_wait_seconds_count"));
            Assert.That(text, Does.Contain("functions_runtime_processes{"));
            Assert.That(text, Does.Contain("functions_journal_records_total"));
            Assert.That(text, Does.Contain("http_server_request_duration_seconds_bucket"));
            Assert.That(text, Does.Not.Contain(function["id"]!.GetValue<string>()), "no function id in labels");
        });
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        // The Prometheus exporter caches a scrape for a short while; wait it out so the second read is fresh.
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        using var response = await client.GetAsync("/metrics");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain").Or.EqualTo("application/openmetrics-text"));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a counter's samples whose labels contain <paramref name="label"/> (0 when absent).</summary>
    private static double Counter(string text, string name, string label) =>
        text.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
            .Sum(line => double.Parse(Sample().Match(line).Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\}\s(?<value>[0-9.eE+-]+)")]
    private static partial Regex Sample();
}
