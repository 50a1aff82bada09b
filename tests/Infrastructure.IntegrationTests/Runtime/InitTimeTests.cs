namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

public sealed class InitTimeTests
{
    private static RuntimeTestHost Host => SharedRuntime.Host;

    [Test]
    public async Task ColdCall_ReportsItsInitTime_IncludingModuleLoad_WarmCallNone()
    {
        // The module takes ~300 ms to load: the init time must include it, the warm call must not.
        const string code = """
            const until = Date.now() + 300; while (Date.now() < until) {}
            module.exports = async ({ res }) => res.text('ok');
            """;
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js", code, functionId: "fun_init_time");

        var cold = await Host.RunAsync(invocation);
        var warm = await Host.RunAsync(invocation);

        Assert.Multiple(() =>
        {
            Assert.That(cold.Succeeded, Is.True, cold.Errors);
            Assert.That(cold.ColdStart, Is.True);
            Assert.That(cold.InitTime, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290)));
            Assert.That(cold.InitTime, Is.LessThanOrEqualTo(cold.Duration));
            Assert.That(warm.ColdStart, Is.False);
            Assert.That(warm.InitTime, Is.EqualTo(TimeSpan.Zero));
        });
    }
}
