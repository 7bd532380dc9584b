using MnistTrainer.Cli;

namespace MnistTrainer.Tests;

/// <summary>The outcome of one run of the real command line: in-process with <see cref="Of(string[])"/>, or as a child process.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static CliRun Of(params string[] args) => Of(args, CancellationToken.None);

    public static CliRun Of(string[] args, CancellationToken cancel)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = App.Run(args, new Terminal(output, error, IsInteractive: false), cancel);
        return new CliRun(code, output.ToString(), error.ToString());
    }

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
