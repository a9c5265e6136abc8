using Microsoft.Extensions.Logging;

namespace DotMac.AppHost.Hosting;

/// <summary>The AppHost's own log lines, in the same prefixed form as the services' output.</summary>
public sealed class ConsoleLogProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

    public void Dispose()
    {
    }

    sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            var level = logLevel switch { LogLevel.Warning => "warn: ", LogLevel.Error => "fail: ", LogLevel.Critical => "crit: ", _ => "" };
            ConsoleLog.Write(category, level + formatter(state, exception) + (exception is null ? "" : $" ({exception.Message})"), logLevel >= LogLevel.Error);
        }
    }
}
