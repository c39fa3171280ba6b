using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Pool.Sms.Logging;

namespace Pool.Silo.Hosting;

/// <summary>
/// Pool's console log format: one line per entry (level, category, event id, message, exception), with
/// every phone number masked by <see cref="LogRedaction"/> whatever component wrote it.
/// </summary>
public sealed class RedactingConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "pool";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var line = $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {Level(logEntry.LogLevel)} {logEntry.Category}[{logEntry.EventId.Id}] {message}";
        if (logEntry.Exception is { } exception)
        {
            line += Environment.NewLine + exception;
        }

        textWriter.WriteLine(LogRedaction.MaskNumbers(line));
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
