using MnistTrainer.Cli;

namespace MnistTrainer.Tests.Robustness;

/// <summary>The outcome of one in-process run of the real command line.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The rule for a bad input: the given exit code and exactly one error line, with no stack trace.</summary>
    public void AssertOneClearError(int exitCode, params string[] mustContain)
    {
        Assert.True(ExitCode == exitCode, $"exit code {ExitCode}, expected {exitCode}; stderr:\n{Error}");
        Assert.True(ErrorLines.Length == 1, $"expected one line on stderr, got:\n{Error}");
        Assert.StartsWith("error: ", ErrorLines[0]);
        Assert.DoesNotContain("   at ", Error);
        foreach (var part in mustContain) Assert.True(ErrorLines[0].Contains(part), $"\"{part}\" not in: {ErrorLines[0]}");
    }
}

public static class CliRun
{
    public static CliResult Run(string[] args, CancellationToken cancel = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = App.Run(args, new Terminal(output, error, false), cancel);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
