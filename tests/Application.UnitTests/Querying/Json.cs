using System.Globalization;

namespace FunctionsPlatform.Application.UnitTests.Querying;

/// <summary>Fills <c>§0</c>, <c>§1</c>… in a JSON template (braces in JSON make interpolated strings unreadable).</summary>
internal static class Json
{
    public static string Fill(string template, params object[] args)
    {
        for (var i = args.Length - 1; i >= 0; i--)
        {
            template = template.Replace($"§{i}", Convert.ToString(args[i], CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return template;
    }
}
