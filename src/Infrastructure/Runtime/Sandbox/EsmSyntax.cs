using System.Text.RegularExpressions;

namespace FunctionsPlatform.Infrastructure.Runtime.Sandbox;

/// <summary>Spots a plain <c>.js</c> entrypoint written as an ES module, so node gets the detect flag only when needed.</summary>
internal static partial class EsmSyntax
{
    public static bool LooksLikeEsmInPlainJs(string entrypointPath)
    {
        if (!entrypointPath.EndsWith(".js", StringComparison.Ordinal) || !File.Exists(entrypointPath))
        {
            return false;
        }

        var head = File.ReadAllText(entrypointPath);
        return TopLevelImportOrExport().IsMatch(head);
    }

    [GeneratedRegex(@"^\s*(export\s+(default|const|function|async|class|let|\{)|import\s+[\w{*'""])", RegexOptions.Multiline)]
    private static partial Regex TopLevelImportOrExport();
}
