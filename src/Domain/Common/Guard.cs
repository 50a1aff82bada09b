using System.Text.RegularExpressions;

namespace FunctionsPlatform.Domain.Common;

internal static partial class Guard
{
    public static string Text(string? value, int max, DomainError error, bool allowEmpty = false)
    {
        if (value is null || (!allowEmpty && string.IsNullOrWhiteSpace(value)) || value.Length > max)
        {
            throw new DomainException(error);
        }

        return value;
    }

    public static string? OptionalText(string? value, int max, DomainError error)
    {
        if (value is not null && value.Length > max)
        {
            throw new DomainException(error);
        }

        return value;
    }

    public static bool IsCustomId(string? value) => value is not null && CustomId().IsMatch(value);

    [GeneratedRegex(IdPrefixes.CustomIdPattern)]
    private static partial Regex CustomId();
}
