using FunctionsPlatform.Api.Authentication;
using FunctionsPlatform.Api.Domains;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Infrastructure;
using FunctionsPlatform.Infrastructure.Bootstrap;
using FunctionsPlatform.Infrastructure.Storage;
using Scalar.AspNetCore;

// Settings ship beside the binary; data/ stays relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// The whole API on 127.0.0.1:5080 unless --urls / ASPNETCORE_URLS says otherwise.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = ApiLimits.MaxRequestBodyBytes);

// Before anything is written: umask 077 and a 0700 data directory, so nothing stored is readable by other local users.
DataAtRest.Protect(DataAtRest.DataDirectory(builder.Configuration));

builder.Services.AddApplication();
builder.Services.AddInfrastructure(builder.Configuration);
builder.Services.AddScoped<CurrentPrincipal>();
builder.Services.AddScoped<ICurrentPrincipal>(sp => sp.GetRequiredService<CurrentPrincipal>());

builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.Converters.Add(new UtcMillisecondsConverter());
    options.SerializerOptions.Converters.Add(new OptionalConverterFactory());
    options.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
});
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<AppwriteExceptionHandler>();
builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
// The management surface (/api) is one document; "v1" would read as Appwrite's /v1, which it is not.
builder.Services.AddOpenApi(ApiDocuments.Management);
builder.Services.AddPlatformTelemetry(builder.Configuration);

var app = builder.Build();

await app.Services.InitializeDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages(AppwriteErrors.StatusCodePageAsync);
app.UseMiddleware<FunctionDomainMiddleware>();
app.UseMiddleware<ApiKeyAuthenticationMiddleware>();
app.UseMiddleware<RequestContentTypeMiddleware>();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapScalarApiReference("/docs", options => options
    .WithOpenApiRoutePattern("/openapi/{documentName}.json")
    .AddDocument(ApiDocuments.Management, "Management API (/api)", isDefault: true)
    .WithTitle("FunctionsPlatform API"));
app.MapEndpointGroups();
app.MapPlatformMetrics();

await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the functional tests.</summary>
public partial class Program;
