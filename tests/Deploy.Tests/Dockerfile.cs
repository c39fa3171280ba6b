using System.Text;
using System.Text.Json;

namespace Pool.Deploy.Tests;

/// <summary>One Dockerfile instruction: its keyword (upper case), its flags (--from=build), and its arguments.</summary>
/// <param name="Line">The 1-based line the instruction starts on.</param>
/// <param name="Keyword">FROM, RUN, COPY, … in upper case.</param>
/// <param name="Flags">Leading --name=value flags (a flag without a value maps to "").</param>
/// <param name="Arguments">The rest, split: a JSON array (exec form) as its elements, otherwise on whitespace.</param>
/// <param name="ExecForm">Whether the arguments were written as a JSON array.</param>
/// <param name="Text">The arguments after the flags, continuations joined, as written.</param>
public sealed record Instruction(int Line, string Keyword, IReadOnlyDictionary<string, string> Flags, IReadOnlyList<string> Arguments, bool ExecForm, string Text);

/// <summary>A build stage: its FROM image, optional name, and the instructions up to the next FROM.</summary>
public sealed record Stage(string Image, string? Name, IReadOnlyList<Instruction> Instructions)
{
    public IEnumerable<Instruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    /// <summary>The last instruction of this kind (the one in force for USER, ENTRYPOINT, HEALTHCHECK, WORKDIR).</summary>
    public Instruction? Last(string keyword) => Instructions.LastOrDefault(i => i.Keyword == keyword);
}

/// <summary>
/// A Dockerfile read the way the builder reads it (the Dockerfile reference): comments and parser
/// directives dropped, lines ending in a backslash joined with the next (comment lines inside a
/// continuation skipped), keywords case-insensitive, leading --flags, exec (JSON array) or shell form.
/// Heredocs and a changed escape character are not supported and are reported as errors.
/// </summary>
public sealed class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<Instruction> instructions, IReadOnlyList<Stage> stages)
    {
        Path = path;
        Instructions = instructions;
        Stages = stages;
    }

    public string Path { get; }

    public IReadOnlyList<Instruction> Instructions { get; }

    public IReadOnlyList<Stage> Stages { get; }

    public Stage Final => Stages[^1];

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path), path);

    /// <exception cref="FormatException">A line the parser cannot read, naming the file and line.</exception>
    public static Dockerfile Parse(string text, string path = "Dockerfile")
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var instructions = new List<Instruction>();
        var atStart = true;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                if (atStart && line.StartsWith("# escape=", StringComparison.OrdinalIgnoreCase) && line != "# escape=\\")
                {
                    throw new FormatException($"{path}:{i + 1}: a changed escape character is not supported");
                }

                continue;
            }

            atStart = false;
            var start = i;
            var joined = new StringBuilder();
            while (true)
            {
                var part = lines[i].TrimEnd();
                var continues = part.EndsWith('\\');
                joined.Append(continues ? part[..^1] : part).Append(' ');
                if (!continues)
                {
                    break;
                }

                // Comment and empty lines inside a continuation are skipped, as the builder does.
                do
                {
                    i++;
                }
                while (i < lines.Length && (lines[i].Trim().Length == 0 || lines[i].TrimStart().StartsWith('#')));

                if (i >= lines.Length)
                {
                    throw new FormatException($"{path}:{start + 1}: the last line continues with a backslash");
                }
            }

            instructions.Add(ParseInstruction(joined.ToString().Trim(), start + 1, path));
        }

        return new Dockerfile(path, instructions, SplitStages(instructions, path));
    }

    private static Instruction ParseInstruction(string text, int line, string path)
    {
        var space = text.IndexOfAny([' ', '\t']);
        var keyword = (space < 0 ? text : text[..space]).ToUpperInvariant();
        var rest = space < 0 ? "" : text[(space + 1)..].Trim();
        if (rest.Contains("<<", StringComparison.Ordinal) && keyword is "RUN" or "COPY")
        {
            throw new FormatException($"{path}:{line}: heredocs are not supported");
        }

        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        // HEALTHCHECK's flags come before CMD; every other instruction's before its arguments.
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = rest.IndexOfAny([' ', '\t']);
            var flag = end < 0 ? rest : rest[..end];
            rest = end < 0 ? "" : rest[(end + 1)..].TrimStart();
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            flags[equals < 0 ? flag[2..] : flag[2..equals]] = equals < 0 ? "" : flag[(equals + 1)..];
        }

        var exec = false;
        IReadOnlyList<string> arguments;
        var body = keyword == "HEALTHCHECK" && rest.StartsWith("CMD ", StringComparison.OrdinalIgnoreCase) ? rest[4..].TrimStart() : rest;
        if (body.StartsWith('['))
        {
            try
            {
                arguments = JsonSerializer.Deserialize<string[]>(body) ?? [];
                exec = true;
            }
            catch (JsonException ex)
            {
                throw new FormatException($"{path}:{line}: {keyword} starts with '[' but is not a JSON array of strings: {ex.Message}");
            }
        }
        else
        {
            arguments = body.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        }

        return new Instruction(line, keyword, flags, arguments, exec, rest);
    }

    private static List<Stage> SplitStages(List<Instruction> instructions, string path)
    {
        var stages = new List<Stage>();
        string? image = null;
        string? name = null;
        var body = new List<Instruction>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                if (image is not null)
                {
                    stages.Add(new Stage(image, name, body));
                }

                var args = instruction.Arguments;
                if (args.Count is not (1 or 3) || (args.Count == 3 && !args[1].Equals("AS", StringComparison.OrdinalIgnoreCase)))
                {
                    throw new FormatException($"{path}:{instruction.Line}: FROM takes an image and optionally 'AS name'");
                }

                (image, name, body) = (args[0], args.Count == 3 ? args[2] : null, []);
                continue;
            }

            if (image is null && instruction.Keyword != "ARG")
            {
                throw new FormatException($"{path}:{instruction.Line}: {instruction.Keyword} before the first FROM");
            }

            body.Add(instruction);
        }

        if (image is null)
        {
            throw new FormatException($"{path}: no FROM instruction");
        }

        stages.Add(new Stage(image, name, body));
        return stages;
    }
}
