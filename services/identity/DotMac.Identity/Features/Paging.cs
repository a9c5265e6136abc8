using System.Globalization;
using System.Text;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using Microsoft.IdentityModel.Tokens;

namespace DotMac.Identity.Features;

/// <summary>Keyset pagination over (created_at, id): an opaque cursor, a limit of 1 to 500 (default 50; docs/api-conventions.md).</summary>
public sealed record Paging(int Limit, DateTime AfterCreatedAt, Guid AfterId)
{
    public static Paging Parse(int? limit, string? after)
    {
        var size = limit ?? 50;
        if (size is < 1 or > OffsetPaging.MaxLimit)
            throw new ValidationFailedException("limit", $"must be between 1 and {OffsetPaging.MaxLimit}");
        if (string.IsNullOrEmpty(after))
            return new Paging(size, DateTime.MinValue, Guid.Empty);
        try
        {
            var parts = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(after)).Split('|');
            return new Paging(size, DateTime.SpecifyKind(DateTime.Parse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), DateTimeKind.Utc), Guid.Parse(parts[1]));
        }
        catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException or ArgumentException)
        {
            throw new ValidationFailedException("after", "is not a cursor this API returned");
        }
    }

    public static string Cursor(DateTime createdAt, Guid id) =>
        Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes($"{createdAt.ToString("O", CultureInfo.InvariantCulture)}|{id}"));
}
