using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace FunctionsPlatform.Benchmarks;

/// <summary>The node echo function the invoke benches call: created once on a server, then invoked over HTTP.</summary>
internal sealed class EchoFunction(string invokeUrl)
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"args":{"hello":"world"}}""");

    /// <summary>Creates the function in the default workspace with <see cref="RuntimeBench.NodeCode"/> as its code.</summary>
    public static async Task<EchoFunction> CreateAsync(HttpClient admin)
    {
        var function = await (await admin.PostAsJsonAsync("/api/functions", new { workspaceId = "default", name = "bench-echo" })).Content.ReadFromJsonAsync<JsonObject>();
        var versionId = function!["defaultVersionId"]!.GetValue<string>();
        (await admin.PutAsJsonAsync($"/api/function-versions/{versionId}/files", new { files = new[] { new { path = "index.js", content = RuntimeBench.NodeCode } } })).EnsureSuccessStatusCode();
        return new EchoFunction($"/api/functions/{function["id"]!.GetValue<string>()}/invoke");
    }

    /// <summary>One <c>POST …/invoke</c>; throws unless the function answered ok.</summary>
    public async Task InvokeAsync(HttpClient client)
    {
        using var content = new ByteArrayContent(Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(invokeUrl, content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || !text.Contains("\"ok\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"invoke failed: {(int)response.StatusCode} {text}");
        }
    }
}
