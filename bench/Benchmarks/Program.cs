using System.Reflection;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Benchmarks -- &lt;name&gt; [args]</c> runs <c>&lt;Name&gt;Bench.RunAsync(args)</c>
/// (e.g. <c>querying</c>, <c>runtime</c>). Each suite measures against a baseline in the same run and prints ratios.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var suites = typeof(Program).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Bench", StringComparison.Ordinal) && t.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static) is not null)
            .ToDictionary(t => t.Name[..^"Bench".Length].ToLowerInvariant(), t => t);
        if (args.Length == 0 || !suites.TryGetValue(args[0].ToLowerInvariant(), out var suite))
        {
            Console.Error.WriteLine($"usage: dotnet run -c Release --project bench/Benchmarks -- <{string.Join('|', suites.Keys.Order())}> [args]");
            return 2;
        }

        var run = (Task)suite.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [args[1..]])!;
        await run;
        return 0;
    }
}
