using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Pool.Silo.Hosting;

namespace Pool.Deploy.Tests;

/// <summary>What one image must hold, checked against the repository and the publish output CI produced.</summary>
/// <param name="RepositoryRoot">The build context (COPY sources are relative to it).</param>
/// <param name="PublishOutput">What `dotnet publish -c Release` of the image's project wrote (the build stage's -o folder).</param>
/// <param name="Ports">The ports the image's process listens on by default (EXPOSE must list exactly these).</param>
/// <param name="SdkVersion">global.json's SDK version: the build stage's SDK must be in its feature band or later.</param>
public sealed record ImageExpectations(string RepositoryRoot, string PublishOutput, IReadOnlySet<int> Ports, Version SdkVersion);

/// <summary>
/// The rules every Pool image follows, each violation a line naming the file, the line and the rule:
/// multi-stage on the official .NET images with pinned 10.0 tags, the build stage publishing with the
/// flags CI uses, a final stage that runs as a numeric non-root user, exposes exactly the process's
/// ports, checks /readyz when it serves, and starts a binary that exists in the publish output.
/// </summary>
public static partial class DockerfileRules
{
    private const string Registry = "mcr.microsoft.com/dotnet/";

    [GeneratedRegex(@"^mcr\.microsoft\.com/dotnet/(?<kind>sdk|aspnet|runtime|runtime-deps):(?<tag>10\.0(\.(?<patch>\d+))?)(-[a-z0-9.]+)?(@sha256:[0-9a-f]{64})?$")]
    private static partial Regex OfficialDotnetImage();

    public static List<string> Check(Dockerfile file, ImageExpectations expected)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(expected);
        var problems = new List<string>();
        void Problem(Instruction? at, string message) => problems.Add($"{System.IO.Path.GetFileName(file.Path)}:{at?.Line ?? 0}: {message}");

        var froms = file.Instructions.Where(i => i.Keyword == "FROM").ToList();
        if (file.Stages.Count < 2)
        {
            Problem(froms.FirstOrDefault(), "must be multi-stage (an SDK stage that publishes, a runtime stage that runs)");
        }

        foreach (var (stage, from) in file.Stages.Zip(froms))
        {
            if (stage.Image.Contains("latest", StringComparison.OrdinalIgnoreCase) || !stage.Image.Contains(':', StringComparison.Ordinal))
            {
                Problem(from, $"FROM {stage.Image}: 'latest' (or no tag) is not a pinned image");
            }

            if (!OfficialDotnetImage().IsMatch(stage.Image) && file.Stages.All(s => s.Name != stage.Image))
            {
                Problem(from, $"FROM {stage.Image}: not an official {Registry}… image with a pinned 10.0 tag");
            }
        }

        var build = file.Stages.FirstOrDefault(s => Kind(s.Image) == "sdk");
        var final = file.Final;
        if (build is null)
        {
            Problem(froms.FirstOrDefault(), $"no build stage FROM {Registry}sdk:10.0.x");
        }
        else
        {
            CheckBuildStage(build, froms[file.Stages.ToList().IndexOf(build)], expected, Problem);
        }

        var finalFrom = froms.LastOrDefault();
        if (Kind(final.Image) is not ("aspnet" or "runtime" or "runtime-deps"))
        {
            Problem(finalFrom, $"the final stage must run on {Registry}aspnet or runtime, not {final.Image}");
        }

        CheckRuntimeMatches(final, finalFrom, expected, Problem);
        if (build is not null && Patch(build.Image) is { } sdkPatch && Patch(final.Image) is { } runtimePatch && sdkPatch % 100 != runtimePatch)
        {
            Problem(finalFrom, $"SDK {Tag(build.Image)} ships runtime 10.0.{sdkPatch % 100}, but the final stage runs {Tag(final.Image)}: bump both together");
        }

        var user = final.Last("USER");
        if (user is null)
        {
            Problem(finalFrom, "the final stage must set USER (a numeric non-root uid, e.g. 1654, the images' app user)");
        }
        else if (!int.TryParse((user.Arguments.Count > 0 ? user.Arguments[0] : null)?.Split(':')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) || uid == 0)
        {
            Problem(user, $"USER {user.Text}: must be a numeric non-root uid (Kubernetes verifies runAsNonRoot only for numbers)");
        }

        var exposed = new HashSet<int>();
        foreach (var expose in final.All("EXPOSE"))
        {
            foreach (var port in expose.Arguments)
            {
                if (int.TryParse(port.Split('/')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535)
                {
                    exposed.Add(number);
                }
                else
                {
                    Problem(expose, $"EXPOSE {port}: not a port");
                }
            }
        }

        if (!exposed.SetEquals(expected.Ports))
        {
            Problem(final.All("EXPOSE").FirstOrDefault() ?? finalFrom,
                $"EXPOSE {string.Join(' ', exposed.Order())} differs from the ports the process listens on by default: {string.Join(' ', expected.Ports.Order())}");
        }

        var entrypoint = final.Last("ENTRYPOINT");
        string? binary = null;
        if (entrypoint is null || !entrypoint.ExecForm || entrypoint.Arguments.Count == 0)
        {
            Problem(entrypoint ?? finalFrom, "the final stage needs ENTRYPOINT in exec form [\"/app/<binary>\"] (a shell would not forward SIGTERM)");
        }
        else
        {
            binary = entrypoint.Arguments[0];
            CheckShipped(final, binary, expected, executable: true, entrypoint, Problem);
        }

        CheckHealthcheck(final, binary, expected, finalFrom, Problem);
        CheckCopies(file, final, expected, Problem);
        return problems;
    }

    private static void CheckBuildStage(Stage build, Instruction from, ImageExpectations expected, Action<Instruction?, string> problem)
    {
        if (Patch(build.Image) is { } patch && new Version(10, 0, patch) < expected.SdkVersion)
        {
            problem(from, $"SDK {Tag(build.Image)} is older than global.json's {expected.SdkVersion}");
        }

        var publish = PublishCommand(build);
        if (publish is null)
        {
            problem(from, "the build stage must RUN dotnet publish <project> -c Release -o /app");
            return;
        }

        var (run, project, configuration, output) = publish.Value;
        if (configuration != "Release")
        {
            problem(run, $"dotnet publish must use -c Release (CI checks the Release output), not {configuration ?? "the default"}");
        }

        if (output is null)
        {
            problem(run, "dotnet publish must name its output folder (-o /app)");
        }

        if (!File.Exists(System.IO.Path.Combine(expected.RepositoryRoot, project)))
        {
            problem(run, $"dotnet publish {project}: no such project in the repository");
        }
    }

    /// <summary>The build stage's `dotnet publish` command: the project, -c and -o values.</summary>
    public static (Instruction Run, string Project, string? Configuration, string? Output)? PublishCommand(Stage build)
    {
        ArgumentNullException.ThrowIfNull(build);
        foreach (var run in build.All("RUN"))
        {
            var words = run.Arguments.ToList();
            var at = words.FindIndex(w => w == "publish");
            if (at < 1 || words[at - 1] != "dotnet")
            {
                continue;
            }

            string? project = null, configuration = null, output = null;
            for (var i = at + 1; i < words.Count && words[i] is not ("&&" or ";"); i++)
            {
                if (words[i] is "-c" or "--configuration" && i + 1 < words.Count)
                {
                    configuration = words[++i];
                }
                else if (words[i] is "-o" or "--output" && i + 1 < words.Count)
                {
                    output = words[++i];
                }
                else if (!words[i].StartsWith('-') && project is null)
                {
                    project = words[i];
                }
            }

            return project is null ? null : (run, project, configuration, output);
        }

        return null;
    }

    /// <summary>The final image's runtime must provide every shared framework the app's runtimeconfig.json asks for, at its version or later.</summary>
    private static void CheckRuntimeMatches(Stage final, Instruction? from, ImageExpectations expected, Action<Instruction?, string> problem)
    {
        var config = Directory.GetFiles(expected.PublishOutput, "*.runtimeconfig.json").FirstOrDefault();
        if (config is null)
        {
            problem(from, $"no *.runtimeconfig.json in the publish output {expected.PublishOutput}");
            return;
        }

        using var json = JsonDocument.Parse(File.ReadAllText(config));
        var options = json.RootElement.GetProperty("runtimeOptions");
        var frameworks = options.TryGetProperty("frameworks", out var many)
            ? many.EnumerateArray().ToList()
            : [options.GetProperty("framework")];
        var kind = Kind(final.Image);
        foreach (var framework in frameworks)
        {
            var name = framework.GetProperty("name").GetString();
            var version = Version.Parse(framework.GetProperty("version").GetString()!);
            var provided = name switch
            {
                "Microsoft.NETCore.App" => kind is "aspnet" or "runtime",
                "Microsoft.AspNetCore.App" => kind == "aspnet",
                _ => false,
            };
            if (!provided)
            {
                problem(from, $"{System.IO.Path.GetFileName(config)} needs {name}, which {final.Image} does not provide");
            }

            if (Patch(final.Image) is { } patch && new Version(10, 0, patch) < version)
            {
                problem(from, $"{System.IO.Path.GetFileName(config)} needs {name} {version}, newer than {final.Image}");
            }
        }
    }

    private static void CheckHealthcheck(Stage final, string? binary, ImageExpectations expected, Instruction? from, Action<Instruction?, string> problem)
    {
        var check = final.Last("HEALTHCHECK");
        if (expected.Ports.Count == 0)
        {
            if (check is not null)
            {
                problem(check, "HEALTHCHECK on an image that serves nothing");
            }

            return;
        }

        if (check is null)
        {
            problem(from, "a serving image needs HEALTHCHECK CMD [\"/app/pool-silo\", \"health\"] (GET /readyz)");
            return;
        }

        foreach (var flag in check.Flags)
        {
            if (flag.Key is not ("interval" or "timeout" or "start-period" or "start-interval" or "retries") || flag.Value.Length == 0)
            {
                problem(check, $"HEALTHCHECK --{flag.Key}={flag.Value}: not a HEALTHCHECK option with a value");
            }
        }

        if (!check.Text.StartsWith("CMD ", StringComparison.OrdinalIgnoreCase) || !check.ExecForm)
        {
            problem(check, "HEALTHCHECK must be CMD in exec form (the images have no shell tools such as curl)");
            return;
        }

        var args = check.Arguments;
        var url = args.SkipWhile(a => a != "--url").Skip(1).FirstOrDefault()
            ?? args.Select(a => a.StartsWith("--url=", StringComparison.Ordinal) ? a[6..] : null).FirstOrDefault(a => a is not null);
        var probesReadyz = args.Count >= 2 && args[0] == binary && args[1] == "health"
            && (url ?? HealthCommand.DefaultUrl(new ConfigurationBuilder().Build()).ToString()).EndsWith("/readyz", StringComparison.Ordinal);
        if (!probesReadyz)
        {
            problem(check, $"HEALTHCHECK CMD {string.Join(' ', args)}: must run `{binary} health` (GET /readyz of the HTTP port)");
        }
        else
        {
            CheckShipped(final, args[0], expected, executable: true, check, problem);
        }
    }

    /// <summary>Every COPY from the context names something in the repository; every COPY --from the build stage something in the publish output.</summary>
    private static void CheckCopies(Dockerfile file, Stage final, ImageExpectations expected, Action<Instruction?, string> problem)
    {
        var build = file.Stages.FirstOrDefault(s => Kind(s.Image) == "sdk");
        var publishTo = build is null ? null : PublishCommand(build)?.Output;
        foreach (var stage in file.Stages)
        {
            foreach (var copy in stage.All("COPY").Concat(stage.All("ADD")))
            {
                if (copy.Keyword == "ADD")
                {
                    problem(copy, "use COPY, not ADD (no remote URLs or archive unpacking)");
                }

                if (copy.Arguments.Count < 2)
                {
                    problem(copy, "COPY needs a source and a destination");
                    continue;
                }

                foreach (var source in copy.Arguments.Take(copy.Arguments.Count - 1))
                {
                    if (copy.Flags.TryGetValue("from", out var other))
                    {
                        var fromBuild = build is not null && (other == build.Name || other == build.Image);
                        if (!fromBuild || publishTo is null)
                        {
                            problem(copy, $"COPY --from={other}: only the build stage's publish output may be copied");
                        }
                        else if (!source.StartsWith(publishTo.TrimEnd('/'), StringComparison.Ordinal))
                        {
                            problem(copy, $"COPY --from={other} {source}: outside the publish output {publishTo}");
                        }
                        else if (!Exists(System.IO.Path.Combine(expected.PublishOutput, source[publishTo.TrimEnd('/').Length..].TrimStart('/'))))
                        {
                            problem(copy, $"COPY --from={other} {source}: not in the publish output CI produced ({expected.PublishOutput})");
                        }
                    }
                    else if (!Exists(System.IO.Path.Combine(expected.RepositoryRoot, source)))
                    {
                        problem(copy, $"COPY {source}: no such file or folder in the repository (the build context)");
                    }
                    else if (Ignored(expected.RepositoryRoot, source) is { } pattern)
                    {
                        problem(copy, $"COPY {source}: .dockerignore leaves it out of the build context ({pattern})");
                    }
                }
            }
        }

        if (!final.All("COPY").Any(c => c.Flags.ContainsKey("from")))
        {
            problem(null, "the final stage copies nothing from the build stage");
        }
    }

    /// <summary>A path of the final image must come from a COPY --from the build stage and exist (and be executable) in the publish output.</summary>
    private static void CheckShipped(Stage final, string imagePath, ImageExpectations expected, bool executable, Instruction at, Action<Instruction?, string> problem)
    {
        var workdir = final.Last("WORKDIR") is { Arguments.Count: > 0 } w ? w.Arguments[0] : "/";
        var absolute = imagePath.StartsWith('/') ? imagePath : $"{workdir.TrimEnd('/')}/{imagePath}";
        foreach (var copy in final.All("COPY").Where(c => c.Flags.ContainsKey("from")).Reverse())
        {
            var destination = copy.Arguments[^1];
            destination = destination.StartsWith('/') ? destination : $"{workdir.TrimEnd('/')}/{destination.TrimStart('.').TrimStart('/')}";
            var prefix = destination.TrimEnd('/') + "/";
            if (!absolute.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var inPublish = System.IO.Path.Combine(expected.PublishOutput, absolute[prefix.Length..]);
            if (!File.Exists(inPublish))
            {
                problem(at, $"{imagePath}: not in the publish output CI produced ({inPublish} is missing)");
            }
            else if (executable && !OperatingSystem.IsWindows() && !File.GetUnixFileMode(inPublish).HasFlag(UnixFileMode.UserExecute))
            {
                problem(at, $"{imagePath}: {inPublish} is not executable");
            }

            return;
        }

        problem(at, $"{imagePath}: no COPY --from the build stage puts it in the image");
    }

    /// <summary>The .dockerignore line (a plain path, no wildcards) that leaves <paramref name="source"/> out of the context, or null.</summary>
    private static string? Ignored(string root, string source)
    {
        var file = System.IO.Path.Combine(root, ".dockerignore");
        if (!File.Exists(file))
        {
            return null;
        }

        var path = source.Trim('/');
        return File.ReadAllLines(file)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('!') && !l.Contains('*', StringComparison.Ordinal))
            .FirstOrDefault(l => path == l.Trim('/') || path.StartsWith(l.Trim('/') + "/", StringComparison.Ordinal));
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    public static string? Kind(string image) => OfficialDotnetImage().Match(image) is { Success: true } m ? m.Groups["kind"].Value : null;

    private static string? Tag(string image) => OfficialDotnetImage().Match(image) is { Success: true } m ? m.Groups["tag"].Value : null;

    private static int? Patch(string image) =>
        OfficialDotnetImage().Match(image) is { Success: true } m && m.Groups["patch"].Success ? int.Parse(m.Groups["patch"].Value, CultureInfo.InvariantCulture) : null;
}
