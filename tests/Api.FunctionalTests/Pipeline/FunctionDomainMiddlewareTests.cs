using FunctionsPlatform.Api.Domains;
using FunctionsPlatform.Application.ProxyRules;
using Microsoft.AspNetCore.Http;

namespace FunctionsPlatform.Api.FunctionalTests.Pipeline;

/// <summary>
/// The function-domain check sits in front of every request: one that is not for a function's domain passes through it
/// without a single allocation (the served side is covered over HTTP by the proxy rule tests).
/// </summary>
public sealed class FunctionDomainMiddlewareTests
{
    [TestCase("127.0.0.1:5080")]
    [TestCase("[::1]:5080")]
    [TestCase("api.example.com")]
    [TestCase("functions.localhost:5080")]
    [TestCase("echo.functions.localhost.example.com:5080")]
    public async Task RequestForAnotherHost_ShouldPassThrough_WithoutAllocating(string host)
    {
        var passedOn = 0;
        var middleware = new FunctionDomainMiddleware(_ => { passedOn++; return Task.CompletedTask; }, new DomainSettings());
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        await middleware.InvokeAsync(context);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            await middleware.InvokeAsync(context);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Multiple(() =>
        {
            Assert.That(passedOn, Is.EqualTo(101), "every request went on to the API");
            Assert.That(context.Items, Does.Not.ContainKey(FunctionDomainMiddleware.RequestItem));
            Assert.That(allocated, Is.Zero, "bytes allocated by 100 requests passing through");
        });
    }
}
