using DotMac.ServiceDefaults.Problems;

namespace DotMac.ServiceDefaults.Http;

/// <summary>A page of an offset-paginated list: its items, how many there are in all, and the window asked for.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int Limit, int Offset);

/// <summary>The rules of ?limit=&amp;offset= on every offset-paginated list: 1 to 500 items, from zero on (422 otherwise).</summary>
public static class OffsetPaging
{
    public const int MaxLimit = 500;

    public static void Validate(int limit, int offset)
    {
        if (limit is < 1 or > MaxLimit)
            throw new ValidationFailedException("limit", $"Between 1 and {MaxLimit}.");
        if (offset < 0)
            throw new ValidationFailedException("offset", "Zero or more.");
    }
}
