using FunctionsPlatform.Infrastructure.Observability;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FunctionsPlatform.Api.Infrastructure;

/// <summary>
/// OpenTelemetry: the platform's meter and ASP.NET Core's HTTP metrics, scraped in Prometheus text on <c>/metrics</c>;
/// traces (HTTP → executor → journal) only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, so nothing listens to the
/// activity sources otherwise and they cost nothing.
/// </summary>
public static class TelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddPlatformTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("functions-platform"))
            .WithMetrics(metrics => metrics
                .AddMeter(PlatformTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(PlatformTelemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => context.Request.Path != MetricsPath)
                .AddOtlpExporter());
        }

        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c> without authentication, like <c>/health</c>, so a scraper needs no API key: it exposes counts and
    /// timings per runtime, outcome and route, never a function, workspace or user id, nor any payload.
    /// <c>Telemetry:MetricsEnabled=false</c> removes the route.
    /// </summary>
    public static WebApplication MapPlatformMetrics(this WebApplication app)
    {
        if (app.Configuration.GetValue("Telemetry:MetricsEnabled", true))
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath);
        }

        return app;
    }
}
