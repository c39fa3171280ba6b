using System.Diagnostics;
using Pool.Testing;

namespace Pool.Deploy.Tests;

/// <summary>The images' Dockerfiles, checked against the repository and the publish output CI produced.</summary>
public sealed class DockerfileTests
{
    public static TheoryData<string> Images() => [.. Artifacts.Dockerfiles.Keys.Order(StringComparer.Ordinal)];

    private static async Task<ImageExpectations> ExpectationsAsync(string image) =>
        new(Repository.Root, await Artifacts.PublishOutputAsync(image), Artifacts.DefaultPorts(image), Artifacts.SdkVersion());

    [Fact]
    public void There_is_a_Dockerfile_for_the_silo_and_for_poolctl()
    {
        Assert.Contains("pool-silo", Artifacts.Dockerfiles.Keys);
        Assert.Contains("poolctl", Artifacts.Dockerfiles.Keys);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public async Task The_Dockerfile_follows_every_image_rule(string image)
    {
        var problems = DockerfileRules.Check(Dockerfile.Load(Artifacts.Dockerfiles[image]), await ExpectationsAsync(image));

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Scripts_test_sh_publishes_exactly_what_the_build_stage_publishes(string image)
    {
        var build = Dockerfile.Load(Artifacts.Dockerfiles[image]).Stages[0];
        var publish = DockerfileRules.PublishCommand(build);
        var script = File.ReadAllText(Path.Combine(Repository.Root, "scripts", "test.sh"));

        Assert.NotNull(publish);
        Assert.Contains($"dotnet publish {publish.Value.Project} -c Release -o artifacts/publish/{image}", script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dockerignore_keeps_build_outputs_packages_local_state_and_git_out_of_the_context()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        string[] required = ["**/bin/", "**/obj/", "**/node_modules/", ".data/", "tests/artifacts/", "artifacts/", ".git/"];

        Assert.Empty(required.Except(lines));
    }

    [Fact]
    public void The_silo_image_exposes_the_process_default_ports_7400_7401_7410_7420()
    {
        Assert.Equal([7400, 7401, 7410, 7420], Artifacts.DefaultPorts("pool-silo").Order());
    }

    [Fact]
    public async Task The_published_silo_answers_its_own_health_command_with_exit_1_when_nothing_listens()
    {
        // The HEALTHCHECK binary really runs from the publish output and fails closed.
        var output = await Artifacts.PublishOutputAsync("pool-silo");
        var info = new ProcessStartInfo(Path.Combine(output, "pool-silo")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "health", $"--Pool:Api:HttpPort={Pool.Testing.FreePorts.Next()}" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("/readyz could not be reached", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dockerfilelint_finds_no_issue()
    {
        var lint = Path.Combine(Repository.Root, "tests", "Deploy.Tests", "lint");
        if (!File.Exists(Path.Combine(lint, "node_modules", ".bin", "dockerfilelint")))
        {
            Assert.Equal(0, await RunAsync(lint, "npm", "ci", "--no-audit", "--no-fund", "--silent"));
        }

        Assert.Equal(0, await RunAsync(lint, "npm", "run", "--silent", "lint"));
    }

    private static async Task<int> RunAsync(string directory, string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} in {directory} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return process.ExitCode;
    }
}
