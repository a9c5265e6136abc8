using Microsoft.Extensions.Logging;

namespace DotMac.AppHost.Infrastructure;

/// <summary>
/// Log lines handed to a writer as (category, level, text): the AppHost prints them with the resource prefix,
/// the tests into the test output.
/// </summary>
public sealed class LineLoggerProvider(Action<string, LogLevel, string> write) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, write);

    public void Dispose()
    {
    }

    sealed class Logger(string category, Action<string, LogLevel, string> write) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            var level = logLevel switch { LogLevel.Warning => "warn: ", LogLevel.Error => "fail: ", LogLevel.Critical => "crit: ", _ => "" };
            write(category, logLevel, level + formatter(state, exception) + (exception is null ? "" : $" ({exception.Message})"));
        }
    }
}
