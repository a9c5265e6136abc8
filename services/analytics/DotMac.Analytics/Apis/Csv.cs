using System.Globalization;
using System.Reflection;
using System.Text;

namespace DotMac.Analytics.Apis;

/// <summary>
/// A series as RFC 4180 CSV: a header row of the points' properties in snake_case (then time_zone and currency, stated
/// in every row so a row read alone still says what its days and amounts are), CRLF line ends, a field quoted when it
/// holds a comma, a quote or a line break (its quotes doubled). Values are invariant: dates yyyy-MM-dd, decimal points,
/// an empty field for none.
/// </summary>
public static class Csv
{
    public static byte[] Write<T>(IEnumerable<T> points, string timeZone, string? currency)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var text = new StringBuilder();
        Line(text, [.. properties.Select(p => SnakeCase(p.Name)), "time_zone", "currency"]);
        foreach (var point in points)
            Line(text, [.. properties.Select(p => Value(p.GetValue(point))), timeZone, currency ?? ""]);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>"Overdue0To30" is overdue_0_to_30, "LeadTimeP50Seconds" lead_time_p50_seconds: a number is a word of its own after a word.</summary>
    public static string SnakeCase(string name)
    {
        var text = new StringBuilder();
        var word = 0;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var boundary = i > 0 && (char.IsUpper(c) || char.IsDigit(c) && char.IsLower(name[i - 1]) && word > 1);
            if (boundary)
            {
                text.Append('_');
                word = 0;
            }
            text.Append(char.ToLowerInvariant(c));
            word++;
        }
        return text.ToString();
    }

    static void Line(StringBuilder text, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
                text.Append(',');
            text.Append(Field(fields[i]));
        }
        text.Append("\r\n");
    }

    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    static string Value(object? value) => value switch
    {
        null => "",
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
