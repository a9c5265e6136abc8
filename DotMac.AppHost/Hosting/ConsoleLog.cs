namespace DotMac.AppHost.Hosting;

/// <summary>Every line the fleet prints, prefixed with the name of the resource that printed it, one colour each.</summary>
public static class ConsoleLog
{
    static readonly Lock Gate = new();
    static readonly ConsoleColor[] Palette =
    [
        ConsoleColor.Cyan, ConsoleColor.Green, ConsoleColor.Yellow, ConsoleColor.Magenta, ConsoleColor.Blue,
        ConsoleColor.DarkCyan, ConsoleColor.DarkGreen, ConsoleColor.DarkYellow, ConsoleColor.DarkMagenta, ConsoleColor.White,
    ];
    static readonly Dictionary<string, ConsoleColor> Colours = new(StringComparer.Ordinal);
    static readonly bool UseColour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    public static int PrefixWidth { get; set; } = 10;

    public static void Write(string source, string line, bool error = false)
    {
        lock (Gate)
        {
            var prefix = $"[{source}]".PadRight(PrefixWidth + 2);
            if (UseColour)
            {
                if (!Colours.TryGetValue(source, out var colour))
                    Colours[source] = colour = Palette[Colours.Count % Palette.Length];
                Console.ForegroundColor = colour;
                Console.Write(prefix);
                Console.ResetColor();
                if (error)
                    Console.ForegroundColor = ConsoleColor.Red;
                Console.WriteLine(" " + line);
                Console.ResetColor();
            }
            else
            {
                Console.WriteLine(prefix + " " + line);
            }
        }
    }
}
