using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Pool.Cli.Commands;

/// <summary>Options that take a whole number, refused with a message that names the option and the value.</summary>
internal static class WholeNumbers
{
    /// <summary>An optional whole number: null when the option is left out.</summary>
    public static Option<int?> Optional(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => Parse(result, name),
    };

    /// <summary>A whole number with a default.</summary>
    public static Option<int> WithDefault(string name, string alias, int defaultValue, string description) => new(name, alias)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Parse(result, name) ?? defaultValue,
    };

    private static int? Parse(ArgumentResult result, string name)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{name} '{text}' is not a whole number");
        return null;
    }
}
