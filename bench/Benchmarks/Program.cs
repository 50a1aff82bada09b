using System.Reflection;

namespace FunctionsPlatform.Benchmarks;

/// <summary><c>dotnet run -c Release --project bench/Benchmarks -- &lt;name&gt;</c> runs <c>FunctionsPlatform.Benchmarks.&lt;Name&gt;Bench.RunAsync(args)</c>.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: Benchmarks <name> [args]");
            return 2;
        }

        var name = char.ToUpperInvariant(args[0][0]) + args[0][1..];
        var type = typeof(Program).Assembly.GetType($"FunctionsPlatform.Benchmarks.{name}Bench");
        var run = type?.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static, [typeof(string[])]);
        if (run is null)
        {
            Console.Error.WriteLine($"No benchmark named '{args[0]}'.");
            return 2;
        }

        await (Task)run.Invoke(null, [args[1..]])!;
        return 0;
    }
}
