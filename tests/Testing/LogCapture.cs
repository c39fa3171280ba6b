using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pool.Testing;

/// <summary>
/// Keeps every log line (with exception text) of a host, to check what reaches logs: as written by
/// the code (<see cref="Lines"/>) and as Pool's console formatter prints it (<see cref="Printed"/>).
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>The lines after Pool's log redaction, i.e. what an operator's log actually holds.</summary>
    public IEnumerable<string> Printed => _lines.Select(Pool.Sms.Logging.LogRedaction.MaskNumbers);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} {exception}");
    }
}
