using System.Globalization;
using System.Text.RegularExpressions;

namespace DotMac.Networking.Snmp.Tests.Agent;

/// <summary>
/// Reads what net-snmp's tools print with -On -Ox (numeric OIDs, octet strings in hex) into (OID, type, value) rows,
/// and renders our varbinds the same way, so the two can be compared varbind for varbind.
/// </summary>
public static partial class NetSnmpOutput
{
    public sealed record Row(string Oid, string Type, string Value)
    {
        public override string ToString() => $"{Oid} = {Type}: {Value}";
    }

    public static List<Row> Parse(string output)
    {
        var rows = new List<Row>();
        foreach (var line in output.Split('\n'))
        {
            if (line.Length == 0)
                continue;
            var match = LinePattern().Match(line);
            if (!match.Success)
            {
                // a Hex-STRING longer than 16 octets continues on the next lines
                if (rows.Count == 0 || rows[^1].Type != "OctetString")
                    throw new FormatException($"Unexpected net-snmp output line: {line}");
                rows[^1] = rows[^1] with { Value = (rows[^1].Value + " " + line.Trim()).Trim() };
                continue;
            }
            rows.Add(Read(match.Groups["oid"].Value, match.Groups["rest"].Value));
        }
        return [.. rows.Select(r => r.Type == "OctetString" ? r with { Value = r.Value.Replace(" ", "", StringComparison.Ordinal) } : r)];
    }

    static Row Read(string oid, string rest)
    {
        if (rest == "\"\"")
            return new Row(oid, "OctetString", "");
        var colon = rest.IndexOf(": ", StringComparison.Ordinal);
        var (type, value) = colon < 0 ? (rest, "") : (rest[..colon], rest[(colon + 2)..].Trim());
        return type switch
        {
            "Hex-STRING" => new Row(oid, "OctetString", value),
            "INTEGER" => new Row(oid, "Integer32", value),
            "OID" => new Row(oid, "ObjectIdentifier", value),
            "Timeticks" => new Row(oid, "TimeTicks", TicksPattern().Match(value).Groups[1].Value),
            "No Such Object available on this agent at this OID" => new Row(oid, "NoSuchObject", ""),
            "No Such Instance currently exists at this OID" => new Row(oid, "NoSuchInstance", ""),
            _ => new Row(oid, type, value),
        };
    }

    public static Row Render(VarBind vb)
    {
        var v = vb.Value;
        var value = v.Type switch
        {
            SnmpType.OctetString => Convert.ToHexString(v.Bytes),
            SnmpType.ObjectIdentifier => v.ToOid().ToString(),
            SnmpType.IpAddress => v.ToIPAddress().ToString(),
            SnmpType.Integer32 => v.ToInt64().ToString(CultureInfo.InvariantCulture),
            _ when v.IsNumeric => v.ToUInt64().ToString(CultureInfo.InvariantCulture),
            _ => "",
        };
        return new Row(vb.Oid.ToString(), v.Type.ToString(), value);
    }

    [GeneratedRegex(@"^(?<oid>(\.\d+)+) = (?<rest>.*)$")]
    private static partial Regex LinePattern();

    [GeneratedRegex(@"^\((\d+)\)")]
    private static partial Regex TicksPattern();
}
