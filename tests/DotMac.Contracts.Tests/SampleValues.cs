using System.Collections;
using System.Reflection;

namespace DotMac.Contracts.Tests;

/// <summary>Builds a contract from fixed, non-default sample values, so a round trip that loses a field shows.</summary>
static class SampleValues
{
    static readonly DateTimeOffset When = new(2026, 3, 14, 15, 9, 26, TimeSpan.Zero);

    public static object Create(Type type) => Value(type, type.Name, depth: 0);

    static object Value(Type type, string name, int depth)
    {
        if (depth > 5)
            throw new InvalidOperationException($"{type} nests too deeply for a contract.");
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
            return Value(underlying, name, depth);
        if (type == typeof(Guid)) return new Guid($"{Math.Abs(name.GetHashCode(StringComparison.Ordinal)):x8}-0000-7000-8000-000000000001");
        if (type == typeof(string)) return $"sample-{name}";
        if (type == typeof(int)) return 7;
        if (type == typeof(long)) return 7_000_000_000L;
        if (type == typeof(decimal)) return 1234.5678m;
        if (type == typeof(bool)) return true;
        if (type == typeof(DateTimeOffset)) return When;
        if (type == typeof(DateOnly)) return DateOnly.FromDateTime(When.UtcDateTime);
        if (type == typeof(TimeSpan)) return TimeSpan.FromMinutes(90);
        if (type.IsEnum) return Enum.GetValues(type).Cast<object>().Last();
        if (type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Value(element, name + "0", depth + 1));
            list.Add(Value(element, name + "1", depth + 1));
            return list;
        }
        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"No sample for {type}: give it a public constructor or teach SampleValues the type.");
        var arguments = constructor.GetParameters().Select(p => Value(p.ParameterType, p.Name!, depth + 1)).ToArray();
        return constructor.Invoke(arguments);
    }
}
