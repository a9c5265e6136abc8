using System.Net.Mail;

namespace DotMac.Identity.Features;

static class Validation
{
    public static bool IsEmail(string value) =>
        value.Length is > 3 and <= 254 && MailAddress.TryCreate(value, out var address) && address.Address == value.Trim();
}
