using System.Globalization;
using System.Text.RegularExpressions;

namespace FunctionsPlatform.Application.Abstractions.Runtime;

/// <summary>Per-execution bounds: wall-clock timeout, CPUs and memory (from a specification such as <c>s-1vcpu-512mb</c>).</summary>
public sealed partial record RuntimeLimits(TimeSpan Timeout, double Cpus, int MemoryMb)
{
    public const string DefaultSpecification = "s-1vcpu-512mb";

    public static RuntimeLimits Default { get; } = new(TimeSpan.FromSeconds(15), 1, 512);

    /// <summary>Parses Appwrite specification ids (<c>s-0.5vcpu-512mb</c>, <c>s-2vcpu-2gb</c>); unknown ids get the default.</summary>
    public static RuntimeLimits FromSpecification(string? specification, int timeoutSeconds)
    {
        var timeout = TimeSpan.FromSeconds(Math.Max(1, timeoutSeconds));
        var match = SpecificationPattern().Match(specification ?? DefaultSpecification);
        if (!match.Success)
        {
            return Default with { Timeout = timeout };
        }

        var cpus = double.Parse(match.Groups["cpu"].Value, CultureInfo.InvariantCulture);
        var memory = int.Parse(match.Groups["mem"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["unit"].Value == "gb")
        {
            memory *= 1024;
        }

        return new RuntimeLimits(timeout, cpus, memory);
    }

    [GeneratedRegex(@"^s-(?<cpu>\d+(?:\.\d+)?)vcpu-(?<mem>\d+)(?<unit>mb|gb)$")]
    private static partial Regex SpecificationPattern();
}
