using System.Reflection;

// Dispatches `dotnet run -c Release --project bench/Benchmarks -- <name>` to FunctionsPlatform.Benchmarks.<Name>Bench.RunAsync.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Benchmarks <name> [args...]   e.g. runtime");
    return 2;
}

var name = "FunctionsPlatform.Benchmarks." + char.ToUpperInvariant(args[0][0]) + args[0][1..] + "Bench";
var type = Assembly.GetExecutingAssembly().GetType(name);
var run = type?.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static, [typeof(string[])]);
if (run is null)
{
    Console.Error.WriteLine($"No benchmark {name}.RunAsync(string[]).");
    return 2;
}

await (Task)run.Invoke(null, [args[1..]])!;
return 0;
