using Pool.Testing;

namespace Pool.Deploy.Tests;

/// <summary>The parser reads what the builder reads, and each rule catches the mistake it is for.</summary>
public sealed class DockerfileRuleTests
{
    private const string Good = """
        # syntax=docker/dockerfile:1
        FROM mcr.microsoft.com/dotnet/sdk:10.0.112 AS build
        WORKDIR /src
        COPY global.json nuget.config ./
        COPY src/ src/
        RUN --mount=type=cache,target=/root/.nuget/packages \
            # a comment inside a continuation is skipped
            dotnet publish src/Silo/Pool.Silo.csproj -c Release -o /app -nologo

        FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS final
        WORKDIR /app
        COPY --from=build /app/ ./
        USER 1654
        EXPOSE 7400 7401 7410 7420
        HEALTHCHECK --interval=10s --start-period=60s CMD ["/app/pool-silo", "health"]
        ENTRYPOINT ["/app/pool-silo"]
        """;

    private static async Task<List<string>> CheckAsync(string dockerfile) =>
        DockerfileRules.Check(
            Dockerfile.Parse(dockerfile, "test.Dockerfile"),
            new ImageExpectations(Repository.Root, await Artifacts.PublishOutputAsync("pool-silo"), Artifacts.DefaultPorts("pool-silo"), Artifacts.SdkVersion()));

    [Fact]
    public void Continuations_flags_exec_form_and_stages_are_read_as_the_builder_reads_them()
    {
        var file = Dockerfile.Parse(Good);

        Assert.Equal(2, file.Stages.Count);
        Assert.Equal(("mcr.microsoft.com/dotnet/sdk:10.0.112", "build"), (file.Stages[0].Image, file.Stages[0].Name));
        var run = Assert.Single(file.Stages[0].All("RUN"));
        Assert.Equal(6, run.Line);
        Assert.Equal("type=cache,target=/root/.nuget/packages", run.Flags["mount"]);
        Assert.Equal(["dotnet", "publish", "src/Silo/Pool.Silo.csproj", "-c", "Release", "-o", "/app", "-nologo"], run.Arguments);
        var check = file.Final.Last("HEALTHCHECK")!;
        Assert.True(check.ExecForm);
        Assert.Equal(["/app/pool-silo", "health"], check.Arguments);
        Assert.Equal("60s", check.Flags["start-period"]);
        Assert.Equal("build", file.Final.Last("COPY")!.Flags["from"]);
    }

    [Theory]
    [InlineData("FROM a\nRUN x \\\n", "continues with a backslash")]
    [InlineData("RUN echo\n", "RUN before the first FROM")]
    [InlineData("FROM a b\n", "FROM takes an image")]
    [InlineData("FROM a\nENTRYPOINT [\"x\",\n", "not a JSON array")]
    [InlineData("FROM a\nRUN <<EOF\nx\nEOF\n", "heredocs are not supported")]
    public void What_the_parser_cannot_read_is_an_error_naming_the_line(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Dockerfile.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reference_Dockerfile_passes()
    {
        var problems = await CheckAsync(Good);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [InlineData("aspnet:10.0.12 AS final", "aspnet:latest AS final", "'latest' (or no tag) is not a pinned image")]
    [InlineData("aspnet:10.0.12 AS final", "aspnet:9.0.5 AS final", "not an official mcr.microsoft.com/dotnet/… image with a pinned 10.0 tag")]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0.12 AS final", "ubuntu:24.04 AS final", "the final stage must run on mcr.microsoft.com/dotnet/aspnet or runtime")]
    [InlineData("aspnet:10.0.12 AS final", "runtime:10.0.12 AS final", "needs Microsoft.AspNetCore.App, which mcr.microsoft.com/dotnet/runtime:10.0.12 does not provide")]
    [InlineData("aspnet:10.0.12 AS final", "aspnet:10.0.11 AS final", "bump both together")]
    [InlineData("USER 1654", "USER app", "USER app: must be a numeric non-root uid")]
    [InlineData("USER 1654", "USER 0", "USER 0: must be a numeric non-root uid")]
    [InlineData("USER 1654\n", "", "the final stage must set USER")]
    [InlineData("EXPOSE 7400 7401 7410 7420", "EXPOSE 7400 7401 11111 30000", "differs from the ports the process listens on by default: 7400 7401 7410 7420")]
    [InlineData("CMD [\"/app/pool-silo\", \"health\"]", "CMD [\"/app/pool-silo\", \"health\", \"--url\", \"http://127.0.0.1:7401/healthz\"]", "must run `/app/pool-silo health` (GET /readyz")]
    [InlineData("CMD [\"/app/pool-silo\", \"health\"]", "CMD curl -f http://127.0.0.1:7401/readyz", "must be CMD in exec form")]
    [InlineData("HEALTHCHECK --interval=10s --start-period=60s CMD [\"/app/pool-silo\", \"health\"]\n", "", "a serving image needs HEALTHCHECK")]
    [InlineData("ENTRYPOINT [\"/app/pool-silo\"]", "ENTRYPOINT [\"/app/pool-sil0\"]", "/app/pool-sil0: not in the publish output CI produced")]
    [InlineData("ENTRYPOINT [\"/app/pool-silo\"]", "ENTRYPOINT /app/pool-silo", "ENTRYPOINT in exec form")]
    [InlineData("COPY src/ src/", "COPY source/ src/", "COPY source/: no such file or folder in the repository")]
    [InlineData("COPY src/ src/", "COPY src/ src/\nCOPY artifacts/ artifacts/", "COPY artifacts/: .dockerignore leaves it out of the build context (artifacts/)")]
    [InlineData("COPY --from=build /app/ ./", "COPY --from=build /app/missing.dll ./", "COPY --from=build /app/missing.dll: not in the publish output")]
    [InlineData("COPY --from=build /app/ ./", "COPY --from=build /src/ ./", "outside the publish output /app")]
    [InlineData("-c Release -o /app", "-o /app", "dotnet publish must use -c Release")]
    [InlineData("src/Silo/Pool.Silo.csproj", "src/Silo/Silo.csproj", "dotnet publish src/Silo/Silo.csproj: no such project")]
    [InlineData("sdk:10.0.112 AS build", "sdk:10.0.112 AS build\nFROM mcr.microsoft.com/dotnet/sdk:10.0.112 AS unused", "only the build stage's publish output may be copied")]
    public async Task A_broken_Dockerfile_fails_with_the_rule_it_breaks(string replace, string with, string expected)
    {
        Assert.Contains(replace, Good, StringComparison.Ordinal);
        var broken = Good.Replace(replace, with, StringComparison.Ordinal);

        var problems = await CheckAsync(broken);

        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"expected a problem containing \"{expected}\", got:\n{string.Join('\n', problems)}");
    }
}
