using System.Diagnostics;
using Pool.Sms.Otp;

namespace Pool.Bench;

/// <summary>
/// How fast <see cref="OtpExtractor.Read"/> reads SMS texts on one thread, and what it allocates doing so: the
/// whole labelled corpus (every row of every <c>*.tsv</c> under <c>tests/Sms.Tests/Otp</c>) read in a loop, in
/// process, with no database and no silo.
/// </summary>
internal static class OtpBenchmark
{
    /// <summary>The labelled corpus, relative to the repository root.</summary>
    public const string CorpusFolder = "tests/Sms.Tests/Otp";

    /// <summary>Messages read between two looks at the clock (the operation cap is checked at every message).</summary>
    private const int ClockEvery = 32;

    public static OtpResult Run(BenchSettings settings, IEnumerable<string> startDirectories, TextWriter progress)
    {
        var root = FindRepositoryRoot(startDirectories);
        var corpus = LoadCorpus(Path.Combine(root, CorpusFolder));
        var texts = corpus.Texts;

        // Not timed: how many of the corpus's messages give a code (a check that the loop reads what the tests read).
        var withCode = 0;
        foreach (var text in texts)
        {
            if (OtpExtractor.Read(text).Code is not null)
            {
                withCode++;
            }
        }

        progress.WriteLine(
            $"otp: {texts.Length:N0} messages from {corpus.Files} files under {CorpusFolder}, one thread, " +
            $"{settings.Warmup.TotalSeconds:0.#} s warm-up + {settings.OtpDuration.TotalSeconds:0.#} s");

        // The warm-up stops at half the operation cap at most, so that the measurement always gets the other half.
        var next = 0;
        long codes = 0;
        var warmedUp = ReadUntil(texts, ref next, Stopwatch.GetTimestamp() + Ticks(settings.Warmup), settings.MaxOperations / 2, ref codes);

        var cap = settings.MaxOperations - warmedUp;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        var measured = ReadUntil(texts, ref next, started + Ticks(settings.OtpDuration), cap, ref codes);
        var stopped = Stopwatch.GetTimestamp();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        var seconds = (double)(stopped - started) / Stopwatch.Frequency;
        return new OtpResult(
            CorpusFolder,
            corpus.Files,
            texts.Length,
            withCode,
            measured,
            seconds,
            seconds > 0 ? measured / seconds : 0,
            measured > 0 ? seconds * 1e9 / measured : null,
            measured > 0 ? (double)allocated / measured : null,
            warmedUp + measured,
            measured >= cap);
    }

    /// <summary>The folder holding Pool.sln, looked for upwards from each start in turn.</summary>
    public static string FindRepositoryRoot(IEnumerable<string> startDirectories)
    {
        var starts = startDirectories.Where(s => !string.IsNullOrEmpty(s)).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        foreach (var start in starts)
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Pool.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"the otp scenario reads the labelled corpus in the repository ({CorpusFolder}), but no folder holding Pool.sln was found above {string.Join(" or ", starts)}; " +
            "run pool-bench from inside the repository (bench/run.sh does)");
    }

    /// <summary>Every row of every *.tsv under <paramref name="folder"/> (recursive, in path order): the last TAB-separated field, "\n" read as a line break.</summary>
    public static (string[] Texts, int Files) LoadCorpus(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException($"the otp scenario's corpus is missing: no folder {folder}");
        }

        var files = Directory.GetFiles(folder, "*.tsv", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var texts = new List<string>();
        foreach (var file in files)
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'))
                {
                    continue;
                }

                var tab = line.LastIndexOf('\t');
                if (tab < 0)
                {
                    throw new InvalidOperationException($"the otp corpus has a row without a TAB at {Path.GetRelativePath(folder, file)}:{number}");
                }

                texts.Add(line[(tab + 1)..].Replace("\\n", "\n", StringComparison.Ordinal));
            }
        }

        if (texts.Count == 0)
        {
            throw new InvalidOperationException($"the otp scenario's corpus is missing: no rows in any *.tsv under {folder}");
        }

        return ([.. texts], files.Length);
    }

    /// <summary>Reads the texts in turn, from <paramref name="next"/> on, until <paramref name="end"/> (a Stopwatch timestamp) or <paramref name="most"/> messages; allocates nothing itself.</summary>
    private static long ReadUntil(string[] texts, ref int next, long end, long most, ref long codes)
    {
        long read = 0;
        while (read < most && Stopwatch.GetTimestamp() < end)
        {
            for (var i = 0; i < ClockEvery && read < most; i++)
            {
                if (OtpExtractor.Read(texts[next]).Code is not null)
                {
                    codes++;
                }

                read++;
                next = next + 1 == texts.Length ? 0 : next + 1;
            }
        }

        return read;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}

/// <summary>
/// The otp measurement: messages read per second on one thread, the mean time and the bytes allocated per
/// message over the measured window (<see cref="GC.GetAllocatedBytesForCurrentThread"/> before and after).
/// </summary>
internal sealed record OtpResult(
    string Corpus,
    int CorpusFiles,
    int CorpusMessages,
    int CorpusMessagesWithCode,
    long Messages,
    double MeasuredSeconds,
    double MessagesPerSecond,
    double? MeanNsPerMessage,
    double? AllocatedBytesPerMessage,
    long MessagesIncludingWarmup,
    bool StoppedByOperationCap);
